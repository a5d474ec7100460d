"""Configuration, read once from the environment (a `.env` file is honoured)."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypeVar

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
VAR_DIR = ROOT / "var"
DAY_MINUTES = 24 * 60
# The nation in keys, rooms and drawings: the national wall treats it as a province whose regions are provinces.
NATIONAL = "00"

T = TypeVar("T")


def parse_tokens(spec: str) -> dict[str, str]:
    """Parse `name:token,name:token` into {token: name}."""
    tokens: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, sep, token = item.partition(":")
        if not sep or not name or not token:
            raise ValueError(f"token entry {item!r} is not of the form name:token")
        tokens[token] = name
    return tokens


def parse_resolution(spec: str) -> tuple[int, int]:
    """Parse `1920x1080` into (width, height) in pixels."""
    width, sep, height = spec.lower().partition("x")
    if not sep or not width.strip().isdigit() or not height.strip().isdigit():
        raise ValueError(f"resolution {spec!r} is not of the form WIDTHxHEIGHT")
    return int(width), int(height)


def parse_tick_rate(spec: str) -> float:
    """Ticks a second: above 0 and at most 50 (a screen cannot show more, and each costs a push)."""
    rate = float(spec)
    if not 0 < rate <= 50:
        raise ValueError(f"{spec!r} ticks a second is not above 0 and at most 50")
    return rate


@cache
def province_names(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Every province, two-digit Kemendagri code -> name, from `data/provinces.csv`."""
    with (data_dir / "provinces.csv").open(newline="", encoding="utf-8") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


def parse_provinces(spec: str) -> tuple[str, ...]:
    """`all`, or codes separated by commas (`12,35`): the provinces one deployment serves, in code order."""
    known = province_names()
    if spec.strip().lower() == "all":
        return tuple(sorted(known))
    codes = [part.strip() for part in spec.split(",") if part.strip()]
    unknown = [code for code in codes if code not in known]
    if unknown or not codes:
        raise ValueError(f"{', '.join(unknown) or 'nothing'}: not a province code (see data/provinces.csv) or `all`")
    return tuple(sorted(set(codes)))


def parse_scope(spec: str | None) -> frozenset[str] | None:
    """The provinces a user or token is limited to, from `35` or `12/35` (also `12,35`); None (every province of
    the deployment: the national role) for an empty spec or `all`."""
    if spec is None or spec.strip().lower() in ("", "all", "*"):
        return None
    codes = frozenset(part.strip() for part in spec.replace("/", ",").split(",") if part.strip())
    unknown = sorted(codes.difference(province_names()))
    if unknown:
        raise ValueError(f"{', '.join(unknown)}: not a province code (see data/provinces.csv)")
    return codes


TOUR_MODES = ("all", "alerts", "off")
WALL_MAPS = ("map", "hex")


def parse_tour_mode(spec: str) -> str:
    """`all` (every regency), `alerts` (only regencies with active alerts) or `off` (the province only)."""
    mode = spec.strip().lower()
    if mode not in TOUR_MODES:
        raise ValueError(f"tour mode {spec!r} is not one of {', '.join(TOUR_MODES)}")
    return mode


def parse_wall_map(spec: str) -> str:
    """`map` (the province's real boundaries) or `hex` (one equal hexagon per regency)."""
    kind = spec.strip().lower()
    if kind not in WALL_MAPS:
        raise ValueError(f"wall map {spec!r} is not one of {', '.join(WALL_MAPS)}")
    return kind


def parse_retention(spec: str) -> int:
    """Days of event-level history kept: 0 (all of it) or at least 31 (intake refuses events older than 30)."""
    days = int(spec)
    if days < 0 or 0 < days < 31:
        raise ValueError(f"{spec!r} days is neither 0 (keep everything) nor at least 31")
    return days


SWITCHES = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def parse_switch(spec: str) -> bool:
    """An on/off setting: `1`/`0`, `true`/`false`, `yes`/`no` or `on`/`off`, in any case; anything else is refused
    rather than read as on, so a mistyped value cannot silently flip a switch."""
    try:
        return SWITCHES[spec.strip().lower()]
    except KeyError:
        raise ValueError(f"{spec!r} is not one of 1/0, true/false, yes/no, on/off") from None


@dataclass(frozen=True)
class Shift:
    name: str
    start: int  # minutes after midnight WIB
    end: int  # minutes after midnight WIB; below `start` for a shift over midnight


def _minutes(text: str) -> int:
    hours, _, minutes = text.strip().partition(":")
    if not hours.isdigit() or (minutes and not minutes.isdigit()):
        raise ValueError(f"shift time {text!r} is not HH or HH:MM")
    value = int(hours) * 60 + int(minutes or 0)
    if int(hours) > 24 or int(minutes or 0) > 59 or value > DAY_MINUTES:
        raise ValueError(f"shift time {text!r} is out of range")
    return value % DAY_MINUTES


def parse_shifts(spec: str) -> tuple[Shift, ...]:
    """Parse `07-15,15-23,23-07` (optionally `name=07:30-15:30`); the shifts must cover the day without overlap."""
    shifts = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, sep, span = item.rpartition("=")
        start, dash, end = span.partition("-")
        if not dash:
            raise ValueError(f"shift {item!r} is not of the form HH-HH")
        shifts.append(Shift(name.strip() if sep else span.strip(), _minutes(start), _minutes(end)))
    if not shifts:
        raise ValueError("no shifts given")
    total = sum((s.end - s.start) % DAY_MINUTES or DAY_MINUTES for s in shifts)
    ordered = sorted(shifts, key=lambda s: s.start)
    joined = all(a.end == b.start for a, b in zip(ordered, ordered[1:] + ordered[:1], strict=True))
    if total != DAY_MINUTES or not joined:
        raise ValueError(f"shifts {spec!r} must cover the 24 hours exactly, each starting where another ends")
    return tuple(shifts)


def _read(env: dict[str, str], name: str, default: str, parse: Callable[[str], T]) -> T:
    """`parse` of the variable `name` (of `default` when unset). A bad value stops the start with an error naming
    the variable; the value itself is not repeated, as it may be a token."""
    try:
        return parse(env.get(name, default))
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None


@dataclass(frozen=True)
class Settings:
    # Secrets (and URLs, which may carry a password) stay out of the repr, so a log line or a traceback of the
    # settings never shows them.
    redis_url: str | None = field(default=None, repr=False)
    database_url: str | None = field(default=None, repr=False)
    province: str = "12"  # the home province: the one served at the paths without `/p/<code>`
    provinces: tuple[str, ...] = ()  # every province this deployment serves (PROVINCES; default: the home one)
    ingest_tokens: dict[str, str] = field(default_factory=dict, repr=False)
    wall_tokens: dict[str, str] = field(default_factory=dict, repr=False)
    admin_password: str | None = field(default=None, repr=False)
    host: str = "127.0.0.1"  # the web app's listening address
    port: int = 8050
    web_connections: int = 2000  # connections the web app holds at once (each open page holds one)
    app_processes: int = 1  # more than one: `make run` puts that many behind HAProxy, sticky by cookie
    worker_processes: int = 1  # `make run` shares the provinces among this many live and archive workers each
    demo: bool = True
    boundaries_geojson: str | None = None  # an official boundary file of one's own, instead of data/maps
    wall_map: str = "map"
    secret_key: str | None = field(default=None, repr=False)
    cookie_secure: bool = False  # mark session cookies Secure even when the app sees plain HTTP (behind TLS)
    stream_maxlen: int = 1_000_000
    history_retention_days: int = 0  # event-level history kept (status changes, KPI samples); 0: all of it
    max_body_bytes: int = 5 * 1024 * 1024
    # The wall's screens and where its readers stand: they set the minimum legible font size.
    wall_distance_m: float = 5.0
    wall_diagonal_in: float = 55.0
    wall_resolution: tuple[int, int] = (1920, 1080)
    # Operations: shift boundaries in WIB, when a quiet regency counts as silent, the critical-alert sound.
    shifts: tuple[Shift, ...] = parse_shifts("07-15,15-23,23-07")
    feed_silent_minutes: float = 30.0
    alert_sound: bool = False
    # The wall's tour: seconds per stop, and which regencies it visits ("all", "alerts" or "off").
    tour_seconds: int = 10
    tour_mode: str = "all"
    # Pushes to screens: at most this many ticks a second under load (the first change after a quiet moment goes
    # out at once). See docs/PERFORMANCE.md, "Screens", for the measurement behind the default.
    ticks_per_second: float = 10.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        if env is None:
            load_dotenv(ROOT / ".env")
            env = dict(os.environ)
        provinces = _read(env, "PROVINCES", env.get("PROVINCE", "12"), parse_provinces)
        province = _read(env, "PROVINCE", provinces[0], lambda spec: parse_provinces(spec)[0])
        return cls(
            redis_url=env.get("REDIS_URL") or None,
            database_url=env.get("DATABASE_URL") or None,
            province=province,
            provinces=provinces,
            ingest_tokens=_read(env, "INGEST_TOKENS", "", parse_tokens),
            wall_tokens=_read(env, "WALL_TOKENS", "", parse_tokens),
            admin_password=env.get("ADMIN_PASSWORD") or None,
            host=env.get("HOST") or "127.0.0.1",
            port=_read(env, "PORT", "8050", int),
            web_connections=_read(env, "WEB_CONNECTIONS", "2000", int),
            app_processes=_read(env, "APP_PROCESSES", "1", int),
            worker_processes=_read(env, "WORKER_PROCESSES", "1", int),
            demo=_read(env, "DEMO", "1", parse_switch),
            boundaries_geojson=env.get("BOUNDARIES_GEOJSON") or None,
            wall_map=_read(env, "WALL_MAP", "map", parse_wall_map),
            secret_key=env.get("SECRET_KEY") or None,
            cookie_secure=_read(env, "COOKIE_SECURE", "0", parse_switch),
            stream_maxlen=_read(env, "STREAM_MAXLEN", "1000000", int),
            history_retention_days=_read(env, "HISTORY_RETENTION_DAYS", "0", parse_retention),
            max_body_bytes=_read(env, "MAX_BODY_BYTES", str(5 * 1024 * 1024), int),
            wall_distance_m=_read(env, "WALL_DISTANCE_M", "5", float),
            wall_diagonal_in=_read(env, "WALL_DIAGONAL_IN", "55", float),
            wall_resolution=_read(env, "WALL_RESOLUTION", "1920x1080", parse_resolution),
            shifts=_read(env, "SHIFTS", "07-15,15-23,23-07", parse_shifts),
            feed_silent_minutes=_read(env, "FEED_SILENT_MINUTES", "30", float),
            alert_sound=_read(env, "ALERT_SOUND", "0", parse_switch),
            tour_seconds=max(3, _read(env, "TOUR_SECONDS", "10", int)),
            tour_mode=_read(env, "TOUR_MODE", "all", parse_tour_mode),
            ticks_per_second=_read(env, "TICKS_PER_SECOND", "10", parse_tick_rate),
        )

    def __post_init__(self) -> None:
        if not self.provinces:
            object.__setattr__(self, "provinces", (self.province,))
        elif self.province not in self.provinces:
            raise ValueError(f"PROVINCE {self.province} is not among PROVINCES ({', '.join(self.provinces)})")

    @property
    def national(self) -> bool:
        """Several provinces on this deployment: the national wall and the `/p/<code>/` addresses are served."""
        return len(self.provinces) > 1

    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{VAR_DIR / 'history.db'}"
