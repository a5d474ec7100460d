"""The access-control tables in SQL (users, API tokens, the audit log), the roles, and the provinces a user or
token may see (its scope)."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from sqlalchemy import Boolean, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from store.contract import clock
from store.history.db import Base, UtcDateTime

TOKEN_KINDS = ("ingest", "wall")


class Role(IntEnum):
    """Roles in increasing order of power: each may do everything the ones below it may."""

    WALL = 1
    OFFICIAL = 2
    OPERATOR = 3
    ADMIN = 4

    @classmethod
    def parse(cls, name: str) -> Role:
        """`Role.parse("official")`; ValueError for an unknown name."""
        try:
            return cls[name.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown role {name!r}; one of {', '.join(r.label for r in cls)}") from None

    @property
    def label(self) -> str:
        return self.name.lower()


def utc_now() -> datetime:
    return clock.now()


class User(Base):
    """A person who signs in: official, operator or admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    provinces: Mapped[str | None] = mapped_column(String(200))  # see `Scope`

    @property
    def rank(self) -> Role:
        return Role.parse(self.role)

    @property
    def scope(self) -> frozenset[str] | None:
        return scope_of(self.provinces)


# Active tokens have unique names per kind; revoked ones stay for the record.
ACTIVE = text("revoked_at IS NULL")


class ApiToken(Base):
    """A bearer token of an ingest source or a wall screen; only its SHA-256 digest is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    from_config: Mapped[bool] = mapped_column(Boolean, default=False)  # WALL_TOKENS / INGEST_TOKENS
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    provinces: Mapped[str | None] = mapped_column(String(200))  # see `Scope`

    __table_args__ = (
        Index("ix_api_tokens_active_name", "kind", "name", unique=True, sqlite_where=ACTIVE, postgresql_where=ACTIVE),
    )


class AuditLog(Base):
    """Sign-ins (successful or not), sign-outs and every admin action."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(String(500), default="")
    ip: Mapped[str | None] = mapped_column(String(64))


# A user's or token's scope: the provinces it may see or send for, stored as codes joined by commas
# ("35" or "12,35"); NULL is every province of the deployment (the national role, and what a single-province
# deployment's users and tokens have always had).
Scope = frozenset[str] | None


def scope_of(stored: str | None) -> Scope:
    return frozenset(stored.split(",")) if stored else None


def stored_scope(scope: Scope) -> str | None:
    return ",".join(sorted(scope)) if scope else None


def scope_label(scope: Scope) -> str:
    """How the audit log and the admin listing write a scope: "35", "12,35" or "all"."""
    return stored_scope(scope) or "all"


def within(scope: Scope, province: str) -> bool:
    """May a user or token of `scope` see or send for `province`?"""
    return scope is None or province in scope
