"""SQL engine, sessions and migrations for the history archive (SQLite by default, PostgreSQL in production)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from store.contract.paths import ROOT

SQLITE_BUSY_TIMEOUT_MS = 10_000
# The web process waits this long at most: SQLite's busy wait blocks its whole event loop (gevent), so a lock held
# elsewhere is answered 503 at once rather than freezing every page, push and ingest behind one request.
WEB_BUSY_TIMEOUT_MS = 100
SQLITE_CACHE_KIB = 65_536
# Pages in the write-ahead log before a commit copies them into the database (SQLite's default: 1,000). The
# archive's batches rewrite the same hot index pages; checkpointing every 80 MiB instead of every 4 MiB writes
# each of them once per checkpoint, not once per batch (a third more events/s on a 5-million-event archive).
SQLITE_WAL_AUTOCHECKPOINT_PAGES = 20_000

# Named constraints, so later migrations can alter them by name on every dialect.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every SQL model (history now, auth later)."""

    metadata = MetaData(naming_convention=NAMING)


class UtcDateTime(TypeDecorator[datetime]):
    """A moment stored in UTC; always read back as an aware datetime, whatever the dialect.

    On SQLite it is text in SQLAlchemy's own DATETIME format ("2026-11-27 06:00:00.000000", so text
    order is time order), written and parsed here directly: the archive binds millions of them.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        return _sqlite_text if dialect.name == "sqlite" else super().bind_processor(dialect)

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        return _sqlite_moment if dialect.name == "sqlite" else super().result_processor(dialect, coltype)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime: give a timezone")
    return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]


def _sqlite_moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value + "+00:00")


def make_engine(url: str, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout (how long a write waits for another's lock) and its
    directory created."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000}, **kwargs)
    event.listen(engine, "connect", functools.partial(_sqlite_pragmas, busy_timeout_ms))
    return engine


def _sqlite_pragmas(busy_timeout_ms: int, dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_WAL_AUTOCHECKPOINT_PAGES}")
    cursor.execute("PRAGMA foreign_keys=ON")
    # A large archive's indexes: keep their hot pages in the connection (64 MiB), sort in memory.
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def make_sessionmaker(
    engine_or_url: Engine | str, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS
) -> sessionmaker[Session]:
    """Sessions bound to an engine (or a new engine for a URL); the caller opens them per batch or request."""
    engine = make_engine(engine_or_url, busy_timeout_ms) if isinstance(engine_or_url, str) else engine_or_url
    return sessionmaker(engine, expire_on_commit=False)


def write_now(session: Session) -> None:
    """On SQLite, take the database's write lock at once (BEGIN IMMEDIATE), so that what the transaction reads stays
    true until it commits; PostgreSQL transactions lock the rows or keys they need instead."""
    if session.get_bind().dialect.name == "postgresql":
        return
    connection = session.connection()
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_locked(error: OperationalError) -> bool:
    """Whether `error` is SQLite's "database is locked" (another process holds the write lock past the timeout)."""
    return "locked" in str(error.orig) or "busy" in str(error.orig)


def alembic_config(url: str | None = None) -> Any:
    """Alembic configuration of this repository; `url` overrides the one from the environment."""
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    if url:
        config.attributes["url"] = url
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Run `alembic upgrade head` on `url` (default: `Settings.from_env().sqlalchemy_url()`)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)
