"""Every screen watched: what each browser showing a live page reports of itself, and when a screen counts as not
responding.

The app records each screen's report (`ScreenRegistry.report`, from the page every `REPORT_SECONDS`) and the end of
its Socket.IO connection (`ScreenRegistry.disconnected`); the live worker judges them each cycle (`screen_alerts`).
A screen is known by an id its browser keeps, so a page that reloads is the same screen, and its reloads are
counted. Only wall screens (signed in by a wall token) raise alerts: an official closing a laptop is not a fault.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

import redis

from store.contract.keys import Keys
from store.contract.settings import Settings
from store.live.alerts import Alert

REPORT_SECONDS = 10  # how often a page reports; the live worker pushes at least every 10 s too
ScreenState = Literal["ok", "disconnected", "silent", "stalled", "reloading"]
STATE_RANK = {"disconnected": 0, "silent": 1, "stalled": 2, "reloading": 3, "ok": 4}


@dataclass(frozen=True)
class ScreenRules:
    """When a screen is not responding: no push applied, no report, or no connection for `after_seconds`; or
    `reload_limit` page loads within `reload_window_seconds`. A disconnected wall screen is forgotten after
    `forget_seconds` (a week), a user's at once."""

    after_seconds: float = 60.0
    reload_limit: int = 4
    reload_window_seconds: float = 600.0
    forget_seconds: float = 7 * 24 * 3600.0

    @classmethod
    def from_settings(cls, settings: Settings) -> ScreenRules:
        return cls(after_seconds=settings.screen_silent_seconds, reload_limit=settings.screen_reload_limit)


@dataclass(frozen=True)
class ScreenReport:
    """What a page says of itself (validated by the app): its browser's screen id and this page load's, the
    Socket.IO connection it holds, its page, language and sizes, the last push it applied, when it loaded (by the
    app's clock), and its memory in use."""

    screen: str
    load: str
    socket: str | None
    page: str
    lang: str
    resolution: str
    viewport: str
    loaded_at: float  # epoch seconds
    epoch: int | None = None
    seq: int | None = None
    served_at: float | None = None  # epoch seconds the last applied push left the live worker
    memory_bytes: int | None = None


@dataclass(frozen=True)
class Screen:
    """A screen as `/ops` lists it: its last report, who holds it, and what the app saw of its connection."""

    report: ScreenReport
    name: str
    kind: str  # "wall" (a wall token) or "user"
    reported_at: float
    loads: tuple[float, ...] = ()
    disconnected_at: float | None = None
    closed_sockets: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Its holder's name and the start of its id: one wall token may sign in several screens."""
        return f"{self.name} · {self.report.screen[:6]}"

    def state(self, now: float, rules: ScreenRules) -> ScreenState:
        """The worst of what is wrong with the screen at `now`, else "ok"."""
        if self.disconnected_at is not None:
            return "disconnected"
        if now - self.reported_at > rules.after_seconds:
            return "silent"
        if sum(1 for at in self.loads if now - at <= rules.reload_window_seconds) >= rules.reload_limit:
            return "reloading"
        last_push = self.report.served_at if self.report.served_at is not None else self.report.loaded_at
        # On a quiet feed a healthy screen's last push is up to a report and an idle push old (10 s each).
        return "stalled" if now - last_push > max(rules.after_seconds, 2 * REPORT_SECONDS) else "ok"

    def responding(self, now: float, rules: ScreenRules) -> bool:
        """False once the screen's state calls for an alert: a disconnection counts after `after_seconds`."""
        state = self.state(now, rules)
        if state == "disconnected":
            return now - (self.disconnected_at or now) <= rules.after_seconds
        return state == "ok"

    def as_dict(self) -> dict[str, Any]:
        return {
            "report": asdict(self.report),
            "name": self.name,
            "kind": self.kind,
            "reported_at": self.reported_at,
            "loads": list(self.loads),
            "disconnected_at": self.disconnected_at,
            "closed_sockets": list(self.closed_sockets),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Screen:
        return cls(
            report=ScreenReport(**data["report"]),
            name=data["name"],
            kind=data["kind"],
            reported_at=data["reported_at"],
            loads=tuple(data.get("loads", ())),
            disconnected_at=data.get("disconnected_at"),
            closed_sockets=tuple(data.get("closed_sockets", ())),
        )


CLOSED_SOCKETS_KEPT = 5  # a report racing its connection's end must not bring the screen back to life
# A command centre's walls are tens of screens on one token, an official a few browsers: a holder with more is
# flooding the registry (each screen is kept, listed on /ops and may raise an alert). Screens past it still show
# their pages; they are not watched.
MAX_SCREENS_PER_HOLDER = {"wall": 200, "user": 16}


class ScreenRefused(Exception):
    """A report the registry does not take: `status` (403, 429) and why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class ScreenRegistry:
    """The province's screens in Redis (`Keys.screens`, and `Keys.screen_sockets` from connection to screen),
    written by every app process and read by the live worker and `/ops`."""

    def __init__(self, client: redis.Redis, keys: Keys, rules: ScreenRules = ScreenRules()) -> None:
        self.redis = client
        self.keys = keys
        self.rules = rules

    def report(self, report: ScreenReport, name: str, kind: str, now: float) -> Screen:
        """Record a page's report as `name`'s screen. A new page load is counted; a report over a connection
        that has ended leaves the screen disconnected. `ScreenRefused` for a screen another holder has, and for a
        new screen past the holder's `MAX_SCREENS_PER_HOLDER[kind]` when none of theirs has been silent long enough to
        give up its place."""
        raw = self.redis.hget(self.keys.screens, report.screen)
        before = Screen.from_dict(json.loads(raw)) if raw else None
        if before is not None and before.name != name:
            raise ScreenRefused(403, "screen: this screen id is held by another wall token or user")
        if before is None:
            self._make_room(name, kind, now)
        pipe = self.redis.pipeline(transaction=False)
        pipe.sadd(self.keys.screens_of(name), report.screen)
        if before is not None and before.report.socket and before.report.socket != report.socket:
            pipe.hdel(self.keys.screen_sockets, before.report.socket)  # the page's connection before this one
        if report.socket:
            pipe.hset(self.keys.screen_sockets, report.socket, report.screen)
        loads = before.loads if before else ()
        if before is not None and before.report.load == report.load:
            report = replace(report, loaded_at=before.report.loaded_at)  # the same page: its first estimate stays
        else:
            loads = (*loads, report.loaded_at)
        loads = tuple(at for at in loads if now - at <= self.rules.reload_window_seconds)
        closed = before.closed_sockets if before else ()
        connected = report.socket is not None and report.socket not in closed
        disconnected_at = None if connected else (before.disconnected_at if before else None) or now
        screen = Screen(report, name, kind, now, loads, disconnected_at, closed)
        pipe.hset(self.keys.screens, report.screen, json.dumps(screen.as_dict()))
        pipe.execute()
        return screen

    def _make_room(self, name: str, kind: str, now: float) -> None:
        """Before a new screen of `name`'s: at the cap, their screen silent longest gives up its place if it has
        been silent past `after_seconds` (a browser whose storage was cleared comes back under a new id); else
        `ScreenRefused`."""
        held = sorted(self.redis.smembers(self.keys.screens_of(name)))
        cap = MAX_SCREENS_PER_HOLDER[kind]
        if len(held) < cap:
            return
        raws = self.redis.hmget(self.keys.screens, held)
        silent = {
            screen_id: now - Screen.from_dict(json.loads(raw)).reported_at if raw else float("inf")
            for screen_id, raw in zip(held, raws, strict=True)
        }
        oldest = max(silent, key=lambda screen_id: silent[screen_id])
        if silent[oldest] <= self.rules.after_seconds:
            holder = "wall token" if kind == "wall" else "user"
            raise ScreenRefused(429, f"screen: at most {cap} screens for one {holder}")
        self._forget([oldest], raws[held.index(oldest)])

    def _forget(self, screen_ids: list[str], *raws: str | None) -> None:
        """Drop screens, their holders' records of them and their connections' (`raws`: their stored JSON)."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.hdel(self.keys.screens, *screen_ids)
        for screen_id, raw in zip(screen_ids, raws, strict=True):
            if raw:
                screen = Screen.from_dict(json.loads(raw))
                pipe.srem(self.keys.screens_of(screen.name), screen_id)
                if screen.report.socket:
                    pipe.hdel(self.keys.screen_sockets, screen.report.socket)
        pipe.execute()

    def disconnected(self, socket: str, now: float) -> None:
        """The connection `socket` ended: its screen is disconnected (a user's screen is dropped)."""
        screen_id = self.redis.hget(self.keys.screen_sockets, socket)
        self.redis.hdel(self.keys.screen_sockets, socket)
        raw = self.redis.hget(self.keys.screens, screen_id) if screen_id else None
        if raw is None:
            return
        screen = Screen.from_dict(json.loads(raw))
        if screen.kind != "wall":
            self._forget([screen_id], raw)
            return
        closed = (*screen.closed_sockets, socket)[-CLOSED_SOCKETS_KEPT:]
        at = now if screen.report.socket == socket else screen.disconnected_at
        gone = Screen(screen.report, screen.name, screen.kind, screen.reported_at, screen.loads, at, closed)
        self.redis.hset(self.keys.screens, screen_id, json.dumps(gone.as_dict()))

    def screens(self, now: float) -> list[Screen]:
        """Every screen known, worst first; wall screens disconnected for longer than `forget_seconds` and
        screens silent that long are forgotten."""
        stored = self.redis.hgetall(self.keys.screens)
        screens = {key: Screen.from_dict(json.loads(raw)) for key, raw in stored.items()}
        forgotten = [key for key, s in screens.items() if now - s.reported_at > self.rules.forget_seconds]
        if forgotten:
            self._forget(forgotten, *(stored[key] for key in forgotten))
        kept = [s for key, s in screens.items() if key not in forgotten]
        return sorted(kept, key=lambda s: (STATE_RANK[s.state(now, self.rules)], s.name, s.report.screen))


def screen_alerts(screens: list[Screen], now: float, rules: ScreenRules) -> list[Alert]:
    """A warning "layar tidak merespons" for a wall screen that does not respond, named after its token and the
    start of its id; one warning per token for several ("5 layar tidak merespons"), so that a token's dead screens,
    however many, never crowd other alerts out of a wall's few lines. `screens` come worst first: the one named in
    a token's warning is its worst."""
    at = datetime.fromtimestamp(now, UTC)
    by_holder: dict[str, list[Screen]] = {}
    for screen in screens:
        if screen.kind == "wall" and not screen.responding(now, rules):
            by_holder.setdefault(screen.name, []).append(screen)
    alerts = []
    for holder, silent in by_holder.items():
        worst = silent[0]
        params = {"screen": worst.label, "page": worst.report.page, "reason": worst.state(now, rules)}
        if len(silent) == 1:
            alerts.append(Alert(f"screen:{worst.report.screen}", "screen", "", "warning", "alert.screen", params, at))
        else:
            params |= {"holder": holder, "count": len(silent)}
            alerts.append(Alert(f"screens:{holder}", "screen", "", "warning", "alert.screens", params, at))
    return alerts
