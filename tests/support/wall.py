"""Finding the wall's figures in the page."""

from __future__ import annotations

from dashboard.wall_slots import slot_id


def tile_id(key: str) -> str:
    """CSS selector-safe element id of a headline tile's number (`dashboard.wall_slots.tile_value`)."""
    return "".join("\\" + ch if not ch.isalnum() and ch not in "-_" else ch for ch in slot_id(f"tile:{key}"))
