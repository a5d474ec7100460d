"""Configuration, read once from the environment (a `.env` file is honoured), with pydantic-settings: one typed
model per concern, and `Settings`, the deployment's, made of them all. A bad value stops the start with an error
naming its variable (never repeating the value, which may be a token); secrets stay out of every repr.

The variables and their meanings are listed in README.md, "Configuration". Built directly (`Settings(port=9000)`),
a model takes the defaults and what it is given, and reads no environment: only `Settings.from_env` does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, Literal

from dotenv import dotenv_values
from pydantic import BeforeValidator, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

from store.contract.paths import DATA_DIR, ROOT, VAR_DIR
from store.contract.provinces import parse_provinces
from store.contract.shifts import Shift, parse_shifts


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


SWITCHES = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def parse_switch(spec: str) -> bool:
    """An on/off setting: `1`/`0`, `true`/`false`, `yes`/`no` or `on`/`off`, in any case; anything else is refused
    rather than read as on, so a mistyped value cannot silently flip a switch."""
    try:
        return SWITCHES[spec.strip().lower()]
    except KeyError:
        raise ValueError(f"{spec!r} is not one of 1/0, true/false, yes/no, on/off") from None


# What `Settings.from_env` reads: the environment it was given, while it builds the settings.
_ENVIRONMENT: ContextVar[Mapping[str, str] | None] = ContextVar("environment", default=None)


class _GivenEnvironment(EnvSettingsSource):
    """The variables of the environment `Settings.from_env` was given (each field's name in capitals)."""

    def __init__(self, settings_cls: type[BaseSettings], environment: Mapping[str, str]) -> None:
        self.environment = environment
        super().__init__(settings_cls, case_sensitive=False)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {name.lower(): value for name, value in self.environment.items()}


class _Concern(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, extra="ignore")

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource, **_others: Any
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        environment = _ENVIRONMENT.get()
        if environment is None:
            return (init_settings,)
        return (init_settings, _GivenEnvironment(settings_cls, environment))

    @field_validator("*", mode="before")
    @classmethod
    def _spec(cls, value: Any) -> Any:
        """Surrounding spaces are no part of a value."""
        return value.strip() if isinstance(value, str) else value


Switch = Annotated[bool, Field()]
# An empty variable is an unset one for a URL, a path or a secret.
_UNSET_IF_EMPTY = BeforeValidator(lambda value: value or None)
Text = Annotated[str | None, _UNSET_IF_EMPTY]
Secret = Annotated[SecretStr | None, _UNSET_IF_EMPTY]
Tokens = Annotated[dict[str, str], NoDecode, Field(default_factory=dict, repr=False)]


class ServerSettings(_Concern):
    """Where the servers are: Redis (REDIS_URL; unset: the embedded server) and the history database
    (DATABASE_URL; unset: SQLite under var/). URLs may carry a password: kept out of the repr."""

    redis_url: Text = Field(default=None, repr=False)
    database_url: Text = Field(default=None, repr=False)

    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{VAR_DIR / 'history.db'}"


class ProvinceSettings(_Concern):
    """Which provinces this deployment serves (PROVINCES: codes or `all`; default: PROVINCE) and its home province
    (PROVINCE: the one served at the paths without `/p/<code>`; default: the first of PROVINCES)."""

    province: str = "12"
    provinces: Annotated[tuple[str, ...], NoDecode] = ()

    @model_validator(mode="before")
    @classmethod
    def _home_among_served(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        home, served = data.get("province"), data.get("provinces")
        if isinstance(served, str):
            served = _named("provinces", parse_provinces, served.strip())
        elif not served:
            served = _named("province", parse_provinces, home.strip()) if isinstance(home, str) else (home or "12",)
        if isinstance(home, str):
            home = _named("province", lambda spec: parse_provinces(spec)[0], home.strip())
        home = home or served[0]
        if home not in served:
            raise ValueError(f"PROVINCE {home} is not among PROVINCES ({', '.join(served)})")
        return {**data, "province": home, "provinces": tuple(served)}

    @property
    def national(self) -> bool:
        """Several provinces on this deployment: the national wall and the `/p/<code>/` addresses are served."""
        return len(self.provinces) > 1


class AccessSettings(_Concern):
    """Who may come in: ingest and wall tokens given by the environment (`name:token,...`), the `admin` password,
    the session cookies' signing key, and whether they are marked Secure behind TLS."""

    ingest_tokens: Tokens
    wall_tokens: Tokens
    admin_password: Secret = None
    secret_key: Secret = None
    # Signs the check codes printed with tracking numbers (`store.contract.tracking`): unset, intake hands out no
    # codes and the tracking page is off. Changing it voids every code handed out.
    tracking_key: Secret = None
    cookie_secure: Switch = False

    @field_validator("ingest_tokens", "wall_tokens", mode="before")
    @classmethod
    def _tokens(cls, value: Any) -> Any:
        return parse_tokens(value) if isinstance(value, str) else value


class ProcessSettings(_Concern):
    """The processes `make run` starts: the web app's address and connections, app processes behind HAProxy,
    workers sharing the provinces, and the demo feed."""

    host: str = "127.0.0.1"
    port: int = Field(default=8050, ge=1, le=65535)
    # The address integrators reach the deployment at (https://komando.example.go.id), for the links the app
    # hands out (Open311's discovery, tracking links): never the Host header a client sent. Unset: http://HOST:PORT.
    public_url: Text = None
    web_connections: int = Field(default=2000, ge=1)  # connections the web app holds at once (one per open page)
    # permessage-deflate on the screens' WebSockets: every connection compresses the same push again, in Python
    # (docs/PERFORMANCE.md, "the screens' WebSocket compression"); off, the pushes go as they are.
    websocket_compression: Switch = False
    app_processes: int = Field(default=1, ge=1)  # more than one: behind HAProxy, sticky by cookie
    worker_processes: int = Field(default=1, ge=1)  # live and archive workers each, sharing the provinces
    demo: Switch = True

    def public_base(self) -> str:
        """`public_url` without its trailing slash, else http://HOST:PORT."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


class IntakeSettings(_Concern):
    """What intake accepts and keeps: the stream's cap of unread events, the largest request body, the days of
    event-level history kept (0: all of it; else at least 31, since intake refuses events older than 30 days), and
    what Open311 publishes."""

    stream_maxlen: int = Field(default=1_000_000, ge=1)
    max_body_bytes: int = Field(default=5 * 1024 * 1024, ge=1)
    history_retention_days: int = Field(default=0, ge=0)
    # Open311 GeoReport v2 (`ingest/open311/`): the provinces whose requests anyone may read (none by default; a
    # sender reads its province's with its api_key), whether titles are shown screened or left out, and how many
    # reads a minute one address may make without a key.
    open311_public: Annotated[tuple[str, ...], NoDecode] = ()
    open311_titles: Literal["omit", "screened"] = "omit"
    open311_reads_per_minute: int = Field(default=60, ge=1)
    tracking_reads_per_minute: int = Field(default=20, ge=1)  # look-ups one address may make on the tracking page

    @field_validator("open311_public", mode="before")
    @classmethod
    def _public_provinces(cls, value: Any) -> Any:
        if isinstance(value, str):
            return () if not value.strip() else _named("open311_public", parse_provinces, value.strip())
        return value

    @field_validator("history_retention_days")
    @classmethod
    def _retention(cls, days: int) -> int:
        if 0 < days < 31:
            raise ValueError(f"{days} days is neither 0 (keep everything) nor at least 31")
        return days


class WallSettings(_Concern):
    """The wall: its map, its screens and where its readers stand (they set the minimum legible font size), its
    tour, its pushes (at most TICKS_PER_SECOND; see docs/PERFORMANCE_HISTORY.md, "Screens pushed, not polling")
    and the critical-alert sound."""

    wall_map: Literal["map", "hex"] = "map"
    boundaries_geojson: Text = None  # an official boundary file of one's own, instead of data/maps
    wall_distance_m: float = Field(default=5.0, gt=0)
    wall_diagonal_in: float = Field(default=55.0, gt=0)
    wall_resolution: Annotated[tuple[int, int], NoDecode] = (1920, 1080)
    tour_seconds: int = Field(default=10, ge=3)
    tour_mode: Literal["all", "alerts", "off"] = "all"
    ticks_per_second: float = Field(default=10.0, gt=0, le=50)
    # The badge reads STALE once the figures are older than this (the worker pushes their time every 10 s).
    wall_stale_seconds: float = Field(default=60.0, ge=15)
    alert_sound: Switch = False

    @field_validator("wall_map", "tour_mode", mode="before")
    @classmethod
    def _any_case(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @field_validator("wall_resolution", mode="before")
    @classmethod
    def _resolution(cls, value: Any) -> Any:
        return parse_resolution(value) if isinstance(value, str) else value


class OperationsSettings(_Concern):
    """The command centre's shifts (in WIB), when a quiet regency counts as silent and when a screen does not
    respond."""

    shifts: Annotated[tuple[Shift, ...], NoDecode] = parse_shifts("07-15,15-23,23-07")
    feed_silent_minutes: float = Field(default=30.0, gt=0)
    # A wall screen that applies no push, sends no report or stays disconnected this long raises an alert; so do
    # this many page loads within ten minutes (a reload loop).
    screen_silent_seconds: float = Field(default=60.0, ge=5)
    screen_reload_limit: int = Field(default=4, ge=2)

    @field_validator("shifts", mode="before")
    @classmethod
    def _shifts(cls, value: Any) -> Any:
        return parse_shifts(value) if isinstance(value, str) else value


class NoticeSettings(_Concern):
    """Deadline notices and escalation (`store.notices`): the rule table and the contacts (CSV files), how often the
    rules are checked, and how notices go out: e-mail over an SMTP relay and webhooks signed with a shared secret."""

    notice_rules: Text = None  # unset: data/notice_rules.csv
    notice_contacts: Text = None  # unset: no one is told but /ops
    notice_pass_seconds: float = Field(default=30.0, ge=1)
    smtp_host: Text = None  # unset: no e-mail
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: Text = None
    smtp_password: Secret = None
    smtp_starttls: Switch = False
    notice_from: str = "pusat-komando@localhost"
    notice_webhook_secret: Secret = None  # unset: no webhooks

    def notice_rules_file(self) -> Path:
        return Path(self.notice_rules) if self.notice_rules else DATA_DIR / "notice_rules.csv"

    def notice_contacts_file(self) -> Path | None:
        return Path(self.notice_contacts) if self.notice_contacts else None


class Settings(
    ServerSettings,
    ProvinceSettings,
    AccessSettings,
    ProcessSettings,
    IntakeSettings,
    WallSettings,
    OperationsSettings,
    NoticeSettings,
):
    """The deployment's settings: every concern's."""

    @field_validator("demo", "cookie_secure", "alert_sound", "smtp_starttls", mode="before")
    @classmethod
    def _switch(cls, value: Any) -> Any:
        return parse_switch(value) if isinstance(value, str) else value

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings of `env` (default: the process's environment over the `.env` file); a bad value raises
        `ValueError` naming its variable."""
        with _reading(env if env is not None else {**dotenv_values(ROOT / ".env"), **os.environ}):
            try:
                return cls()
            except ValidationError as exc:
                raise ValueError(_named_errors(exc)) from None


@contextmanager
def _reading(environment: Mapping[str, Any]) -> Iterator[None]:
    token = _ENVIRONMENT.set({name: value for name, value in environment.items() if value is not None})
    try:
        yield
    finally:
        _ENVIRONMENT.reset(token)


def _named(name: str, parse: Any, spec: str) -> Any:
    try:
        return parse(spec)
    except ValueError as exc:
        raise ValueError(f"{name.upper()}: {exc}") from None


def _named_errors(exc: ValidationError) -> str:
    """Each error as `VARIABLE: what is wrong`, without the value given."""
    lines = []
    for error in exc.errors(include_input=False, include_url=False):
        message = error["msg"].removeprefix("Value error, ")
        field = str(error["loc"][0]) if error["loc"] else ""
        lines.append(message if not field or message.startswith(f"{field.upper()}:") else f"{field.upper()}: {message}")
    return "; ".join(lines)
