"""What the app's pages and endpoints share, kept on the Flask app (never in module globals)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import flask
from flask_socketio import SocketIO

from dashboard.hexmap import HexLayout, layout_hexagons, short_labels
from dashboard.legibility import min_font_px
from store.config import Settings
from store.live import LiveState

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
    def hexagons(self) -> HexLayout:
        regencies = self.live.reference.regencies.values()
        return layout_hexagons({r.code: (r.lat, r.lon) for r in regencies})

    @cached_property
    def labels(self) -> dict[str, str]:
        return short_labels({r.code: r.short_name for r in self.live.reference.regencies.values()})

    @cached_property
    def boundaries(self) -> dict[str, Any] | None:
        """The official boundary GeoJSON when configured, else None (the hexagon map is drawn)."""
        path = self.settings.boundaries_geojson
        return json.loads(Path(path).read_text(encoding="utf-8")) if path else None


def services(app: flask.Flask | None = None) -> Services:
    """The services of `app`, or of the Flask app handling the current request."""
    return (app or flask.current_app).extensions[EXTENSION]
