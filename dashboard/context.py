"""What the app's pages and endpoints share, kept on the Flask app (never in module globals)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import flask
from flask_socketio import SocketIO

from dashboard.hexmap import hex_drawing, layout_hexagons
from dashboard.legibility import min_font_px
from store.config import Settings
from store.live import LiveState
from store.map_shapes import province_drawing

EXTENSION = "dashboard"


@dataclass
class Services:
    settings: Settings
    live: LiveState
    socketio: SocketIO

    @property
    def min_font_px(self) -> int:
        width, height = self.settings.wall_resolution
        return min_font_px(self.settings.wall_distance_m, self.settings.wall_diagonal_in, width, height)

    @property
    def min_font_vh(self) -> float:
        return round(100 * self.min_font_px / self.settings.wall_resolution[1], 3)

    @cached_property
    def map_drawing(self) -> dict[str, Any]:
        """The wall's map: the province's boundaries (data/maps, or BOUNDARIES_GEOJSON), or hexagons."""
        reference = self.live.reference
        if self.settings.wall_map == "hex":
            return hex_drawing(layout_hexagons({r.code: (r.lat, r.lon) for r in reference.regencies.values()}))
        return province_drawing(reference.province, tuple(reference.regencies), self.settings.boundaries_geojson)


def services(app: flask.Flask | None = None) -> Services:
    """The services of `app`, or of the Flask app handling the current request."""
    return (app or flask.current_app).extensions[EXTENSION]
