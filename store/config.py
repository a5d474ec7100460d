"""Configuration, read once from the environment (a `.env` file is honoured)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
VAR_DIR = ROOT / "var"


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


TOUR_MODES = ("all", "alerts", "off")


def parse_tour_mode(spec: str) -> str:
    """`all` (every regency), `alerts` (only regencies with active alerts) or `off` (the province only)."""
    mode = spec.strip().lower()
    if mode not in TOUR_MODES:
        raise ValueError(f"tour mode {spec!r} is not one of {', '.join(TOUR_MODES)}")
    return mode


@dataclass(frozen=True)
class Settings:
    redis_url: str | None = None
    database_url: str | None = None
    province: str = "12"
    ingest_tokens: dict[str, str] = field(default_factory=dict)
    wall_tokens: dict[str, str] = field(default_factory=dict)
    admin_password: str | None = None
    port: int = 8050
    demo: bool = True
    boundaries_geojson: str | None = None
    secret_key: str | None = None
    cookie_secure: bool = False  # mark session cookies Secure even when the app sees plain HTTP (behind TLS)
    stream_maxlen: int = 1_000_000
    max_body_bytes: int = 5 * 1024 * 1024
    # The wall's screens and where its readers stand: they set the minimum legible font size.
    wall_distance_m: float = 5.0
    wall_diagonal_in: float = 55.0
    wall_resolution: tuple[int, int] = (1920, 1080)
    # Operations: shift boundaries in WIB, when a quiet regency counts as silent, the critical-alert sound.
    shifts: str = "07-15,15-23,23-07"
    feed_silent_minutes: float = 30.0
    alert_sound: bool = False
    # The wall's tour: seconds per stop, and which regencies it visits ("all", "alerts" or "off").
    tour_seconds: int = 10
    tour_mode: str = "all"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        if env is None:
            load_dotenv(ROOT / ".env")
            env = dict(os.environ)
        return cls(
            redis_url=env.get("REDIS_URL") or None,
            database_url=env.get("DATABASE_URL") or None,
            province=env.get("PROVINCE", "12"),
            ingest_tokens=parse_tokens(env.get("INGEST_TOKENS", "")),
            wall_tokens=parse_tokens(env.get("WALL_TOKENS", "")),
            admin_password=env.get("ADMIN_PASSWORD") or None,
            port=int(env.get("PORT", "8050")),
            demo=env.get("DEMO", "1") not in ("0", "false", "no", ""),
            boundaries_geojson=env.get("BOUNDARIES_GEOJSON") or None,
            secret_key=env.get("SECRET_KEY") or None,
            cookie_secure=env.get("COOKIE_SECURE", "0") not in ("0", "false", "no", ""),
            stream_maxlen=int(env.get("STREAM_MAXLEN", "1000000")),
            max_body_bytes=int(env.get("MAX_BODY_BYTES", str(5 * 1024 * 1024))),
            wall_distance_m=float(env.get("WALL_DISTANCE_M", "5")),
            wall_diagonal_in=float(env.get("WALL_DIAGONAL_IN", "55")),
            wall_resolution=parse_resolution(env.get("WALL_RESOLUTION", "1920x1080")),
            shifts=env.get("SHIFTS", "07-15,15-23,23-07"),
            feed_silent_minutes=float(env.get("FEED_SILENT_MINUTES", "30")),
            alert_sound=env.get("ALERT_SOUND", "0") not in ("0", "false", "no", ""),
            tour_seconds=max(3, int(env.get("TOUR_SECONDS", "10"))),
            tour_mode=parse_tour_mode(env.get("TOUR_MODE", "all")),
        )

    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{VAR_DIR / 'history.db'}"
