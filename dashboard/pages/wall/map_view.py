"""What the wall's page needs to draw its map (`assets/wall_map.js`): each regency's shape, label anchor and room,
its code, caption and name, and its link; the same for the real map and the hexagons."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dashboard.kit.links import regency_href
from dashboard.pages.wall.map_labels import captions, short_labels
from store.contract.reference import Reference, Regency


def map_spec(
    drawing: dict[str, Any], reference: Reference, kind: str, lang: str, named_first: Sequence[str] = ()
) -> dict[str, Any]:
    """The page's map: `drawing` (`store.contract.map_shapes` format) with each regency's texts in `lang`;
    `named_first`, the regencies whose labels are placed first where room is short (on the national map, the
    provinces the deployment serves: the ones with figures)."""
    regencies = reference.regencies
    codes = {**short_labels({code: r.short_name for code, r in regencies.items()}), **_given_labels(regencies)}
    caption = captions(regencies)
    return {
        "kind": kind,
        "width": drawing["width"],
        "height": drawing["height"],
        "attribution": drawing.get("attribution", ""),
        "named_first": [code for code in named_first if code in regencies],
        "regencies": {
            code: {
                **shape,
                "code": codes[code],
                "caption": caption[code],
                "name": regencies[code].short_name,
                "title": regencies[code].name,
                "href": regency_href(code, lang),
            }
            for code, shape in drawing["regencies"].items()
        },
    }


def _given_labels(regencies: dict[str, Regency]) -> dict[str, str]:
    return {code: r.label for code, r in regencies.items() if r.label}
