"""The app's one services object (`Services`), built by `create_app` and kept on the Flask app (never in module
globals): the settings, each province's live state, the Socket.IO server, the history database and the access
control, with what the pages share on top of them (the published cycle, the alert book, the wall's map)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import flask
from flask_socketio import SocketIO
from sqlalchemy.orm import Session, sessionmaker

from dashboard.pages.wall.hexmap import hex_drawing, layout_hexagons
from dashboard.pages.wall.legibility import min_font_px
from dashboard.security.principals import SecurityState, current_principal
from dashboard.tenancy import request_province
from store.contract import clock
from store.contract.keys import Keys
from store.contract.map_shapes import province_drawing
from store.contract.settings import Settings
from store.live.alerts import Alert, AlertBook
from store.live.cycle import Cycle, published_cycle
from store.live.state import LiveState

EXTENSION = "command_centre"
UNKNOWN_USER = "anonim"  # a request nobody signed in for (a public path) acknowledges nothing in anyone's name


@dataclass
class Services:
    settings: Settings
    lives: dict[str, LiveState]  # province code -> its live state, for every province the deployment serves
    socketio: SocketIO
    sessions: sessionmaker[Session]  # the history and access-control database
    security: SecurityState
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
    def keys(self) -> Keys:
        """The Redis keys of the current request's province."""
        return self.live.keys

    @property
    def book(self) -> AlertBook:
        return AlertBook(self.live.redis, self.keys)

    def cycle(self) -> Cycle:
        """The cycle the live worker published last (`store.live.cycle.NoCycleYet` before its first)."""
        return published_cycle(self.live.redis, self.keys)

    def acknowledge(self, alert_id: str, user: str, now: datetime | None = None) -> Alert | None:
        """Record who acknowledged an alert; the live worker hears of it and pushes it to every screen."""
        return self.book.ack(alert_id, user, now or clock.now())

    def acknowledge_all(self, alert_ids: list[str], user: str) -> list[Alert]:
        """Acknowledge these alerts at once (those already cleared are left out); every screen is told once."""
        return self.book.ack_all(alert_ids, user, clock.now())

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


def signed_in_name() -> str:
    """The signed-in user or screen (for acknowledgements)."""
    principal = current_principal()
    return principal.name if principal else UNKNOWN_USER


def is_wall_screen() -> bool:
    """Whether the current request comes from a screen signed in with a wall token (then the page is a kiosk)."""
    principal = current_principal()
    return principal is not None and principal.kind == "wall"
