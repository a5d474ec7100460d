"""What the app's pages and endpoints share, kept on the Flask app (never in module globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import flask
from flask_socketio import SocketIO

from dashboard.pages.wall.hexmap import hex_drawing, layout_hexagons
from dashboard.pages.wall.legibility import min_font_px
from dashboard.tenancy import request_province
from store.contract.map_shapes import province_drawing
from store.contract.settings import Settings
from store.live.state import LiveState

EXTENSION = "dashboard"


@dataclass
class Services:
    settings: Settings
    lives: dict[str, LiveState]  # province code -> its live state, for every province the deployment serves
    socketio: SocketIO
    _hexagons: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def province(self) -> str:
        """The province of the current request (`dashboard.tenancy`)."""
        return request_province(self.settings.province)

    @property
    def live(self) -> LiveState:
        """The live state of the current request's province."""
        return self.lives[self.province]

    @property
    def min_font_px(self) -> int:
        width, height = self.settings.wall_resolution
        return min_font_px(self.settings.wall_distance_m, self.settings.wall_diagonal_in, width, height)

    @property
    def min_font_vh(self) -> float:
        return round(100 * self.min_font_px / self.settings.wall_resolution[1], 3)

    @property
    def map_drawing(self) -> dict[str, Any]:
        """The wall's map of the current request's province: its boundaries (data/maps, or BOUNDARIES_GEOJSON),
        or hexagons."""
        reference = self.live.reference
        if self.settings.wall_map != "hex":
            return province_drawing(reference.province, tuple(reference.regencies), self.settings.boundaries_geojson)
        if reference.province not in self._hexagons:
            centres = {r.code: (r.lat, r.lon) for r in reference.regencies.values()}
            self._hexagons[reference.province] = hex_drawing(layout_hexagons(centres))
        return self._hexagons[reference.province]


def services(app: flask.Flask | None = None) -> Services:
    """The services of `app`, or of the Flask app handling the current request."""
    return (app or flask.current_app).extensions[EXTENSION]
