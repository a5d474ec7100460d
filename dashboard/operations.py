"""The operations cycle the wall and `/ops` run on each refresh: feed health, "no data" marks, backlog
baselines and alerts; acknowledgements pushed to every screen. Kept on the Flask app, never in globals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import flask
from sqlalchemy.orm import Session, sessionmaker

from dashboard.context import Services, services
from dashboard.security import current_principal
from store.alerts import Alert, AlertBook, BacklogBaseline, evaluate
from store.db import make_sessionmaker
from store.feed_health import FeedHealth, FeedMonitor, FeedRules, apply_feed_state
from store.keys import Keys

EXTENSION = "operations"
SECURITY_EXTENSION = "command_centre_security"  # set by dashboard.security.install_security
ALERTS_EVENT = "alerts"  # Socket.IO event: the alert list or an acknowledgement changed
UNKNOWN_USER = "anonim"  # only without access control (development): nobody is signed in


@dataclass(frozen=True)
class Cycle:
    """One refresh: the snapshot (without `by_opd`) with feed state applied, feed health per regency, the
    active alerts."""

    snapshot: dict[str, Any]
    health: dict[str, FeedHealth]
    alerts: list[Alert]


class Operations:
    """Feed monitor, backlog baselines, alert book and the history database of one app."""

    def __init__(self, svc: Services, server: flask.Flask) -> None:
        self.svc = svc
        self.server = server
        client = svc.live.redis
        self.keys = Keys(svc.settings.province)
        self.monitor = FeedMonitor(client, self.keys, FeedRules.from_settings(svc.settings))
        self.baseline = BacklogBaseline(client, self.keys)
        self.book = AlertBook(client, self.keys)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """The access-control database when installed (same engine), else one for `Settings.sqlalchemy_url`."""
        security = self.server.extensions.get(SECURITY_EXTENSION)
        if security is not None:
            return security.session_factory
        return make_sessionmaker(self.svc.settings.sqlalchemy_url())

    def cycle(self, now: datetime | None = None) -> Cycle:
        """Sample feeds (at most once per interval across processes), mark silent regencies, refresh alerts."""
        now = now or datetime.now(UTC)
        reference = self.svc.live.reference
        self.monitor.observe(now)
        health = self.monitor.health(list(reference.regencies), now)
        snapshot = apply_feed_state(self.svc.live.snapshot(now, by_opd=False), health)
        self.baseline.update(snapshot, now)
        alerts = self.book.refresh(evaluate(snapshot, self.baseline.load(), reference, now), now)
        return Cycle(snapshot, health, alerts)

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
