"""Finding the wall's figures in the page."""

from __future__ import annotations

import json

from dashboard import ids


def tile_id(key: str) -> str:
    """CSS selector-safe id of a headline tile's number, as Dash writes its pattern-matching id into the page."""
    raw = json.dumps({"key": key, "type": ids.WALL_TILE_VALUE}, separators=(",", ":"))
    return "".join("\\" + ch if not ch.isalnum() and ch not in "-_" else ch for ch in raw)
