"""What the wall, `/ops` and the handover share: the operations cycle the live worker published
(`store.live.cycle`), the alert book, acknowledgements pushed to every screen, the history database. Kept on the
Flask app, never in globals."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cached_property

import flask
from sqlalchemy.orm import Session, sessionmaker

from dashboard.context import Services, services
from dashboard.security.principals import current_principal
from store.contract.keys import Keys
from store.contract.rooms import ALERTS_EVENT
from store.history.db import make_sessionmaker
from store.live.alerts import Alert, AlertBook
from store.live.cycle import Cycle, published_cycle

EXTENSION = "operations"
SECURITY_EXTENSION = "command_centre_security"  # set by dashboard.security.guard.install_security
UNKNOWN_USER = "anonim"  # only without access control (development): nobody is signed in


class Operations:
    """The published cycle, the alert book and the history database of one app."""

    def __init__(self, svc: Services, server: flask.Flask) -> None:
        self.svc = svc
        self.server = server

    @property
    def keys(self) -> Keys:
        """The keys of the current request's province."""
        return self.svc.live.keys

    @property
    def book(self) -> AlertBook:
        return AlertBook(self.svc.live.redis, self.keys)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """The access-control database when installed (same engine), else one for `Settings.sqlalchemy_url`."""
        security = self.server.extensions.get(SECURITY_EXTENSION)
        if security is not None:
            return security.session_factory
        return make_sessionmaker(self.svc.settings.sqlalchemy_url())

    def cycle(self) -> Cycle:
        """The cycle the live worker published last (`store.live.cycle.NoCycleYet` before its first)."""
        return published_cycle(self.svc.live.redis, self.keys)

    def acknowledge(self, alert_id: str, user: str, now: datetime | None = None) -> Alert | None:
        """Record who acknowledged an alert and tell every screen (every room) to re-read the alerts."""
        alert = self.book.ack(alert_id, user, now or datetime.now(UTC))
        if alert is not None:
            self.svc.socketio.emit(ALERTS_EVENT, {"id": alert_id, "by": user})
        return alert


def operations(app: flask.Flask | None = None) -> Operations:
    """The operations services of `app` (or of the current request's app), made on first use."""
    server = app or flask.current_app
    ops = server.extensions.get(EXTENSION)
    if ops is None:
        ops = server.extensions[EXTENSION] = Operations(services(server), server)
    return ops


def signed_in_name() -> str:
    """The signed-in user or screen (for acknowledgements); `UNKNOWN_USER` when access control is not installed."""
    if SECURITY_EXTENSION not in flask.current_app.extensions:
        return UNKNOWN_USER
    principal = current_principal()
    return principal.name if principal else UNKNOWN_USER


def is_wall_screen() -> bool:
    """Whether the current request comes from a screen signed in with a wall token (then the page is a kiosk)."""
    if SECURITY_EXTENSION not in flask.current_app.extensions:
        return False
    principal = current_principal()
    return principal is not None and principal.kind == "wall"
