"""Who may see what: users, API tokens (ingest sources and wall screens) and the audit log, in SQL.

Passwords are hashed with argon2id. API tokens are looked up by their SHA-256 digest: a token is 32 random
bytes, so a slow hash adds nothing against guessing it, while argon2 on every ingest request or wall refresh
would cost tens of milliseconds of CPU each and hand anyone a cheap way to exhaust the server. Passwords are
chosen by people and guessable, which is what argon2's cost is for.

Functions take an open session and never commit: the caller owns the transaction
(`with session_factory.begin() as session: ...`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.access.models import (
    TOKEN_KINDS,
    ApiToken,
    AuditLog,
    Role,
    Scope,
    User,
    scope_label,
    scope_of,
    stored_scope,
    utc_now,
)
from store.contract.provinces import parse_scope
from store.contract.settings import Settings

ADMIN_USERNAME = "admin"
# last_used_at is a convenience for admins: writing it on every request would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)

_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong user name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def token_digest(plaintext: str) -> str:
    """SHA-256 hex digest of a token: the key it is stored and looked up under."""
    return hashlib.sha256(plaintext.encode()).hexdigest()


def audit(session: Session, actor: str, action: str, detail: str = "", ip: str | None = None) -> None:
    """Append one line to the audit log."""
    session.add(AuditLog(actor=actor[:64], action=action[:64], detail=detail[:500], ip=ip))


def create_user(session: Session, username: str, password: str, role: Role | str, scope: Scope = None) -> User:
    """A new active user of `scope` (None: every province); ValueError when the name is taken or the password is
    shorter than 8 characters."""
    username = username.strip()
    rank = role if isinstance(role, Role) else Role.parse(role)
    if not username or len(username) > 64:
        raise ValueError("user name must be 1 to 64 characters")
    if len(password) < 8:
        raise ValueError("password must be at least 8 characters")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValueError(f"user {username!r} already exists")
    user = User(
        username=username,
        password_hash=_hasher.hash(password),
        role=rank.label,
        active=True,
        provinces=stored_scope(scope),
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """Replace a user's password."""
    if len(password) < 8:
        raise ValueError("password must be at least 8 characters")
    user.password_hash = _hasher.hash(password)


def verify_password(session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, else None, in the same time whether or not the name exists.

    A hash made with older argon2 parameters is upgraded on success.
    """
    user = session.scalar(select(User).where(User.username == username.strip()))
    stored = user.password_hash if user is not None and user.active else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(stored):
        user.password_hash = _hasher.hash(password)
    return user


def issue_token(
    session: Session,
    name: str,
    kind: str,
    plaintext: str | None = None,
    from_config: bool = False,
    scope: Scope = None,
) -> str:
    """Store a new token for the provinces of `scope` (None: every one) and return its plaintext: the only time it
    is ever seen.

    ValueError when an active token of this kind already has the name (revoke it first).
    """
    if kind not in TOKEN_KINDS:
        raise ValueError(f"token kind must be one of {', '.join(TOKEN_KINDS)}")
    name = name.strip()
    if not name or len(name) > 64:
        raise ValueError("token name must be 1 to 64 characters")
    if _active_token(session, kind, name) is not None:
        raise ValueError(f"an active {kind} token named {name!r} exists; revoke it first")
    plaintext = plaintext or secrets.token_urlsafe(32)
    token = ApiToken(
        name=name, kind=kind, token_hash=token_digest(plaintext), from_config=from_config, provinces=stored_scope(scope)
    )
    session.add(token)
    session.flush()
    return plaintext


def _active_token(session: Session, kind: str, name: str) -> ApiToken | None:
    return session.scalar(
        select(ApiToken).where(ApiToken.kind == kind, ApiToken.name == name, ApiToken.revoked_at.is_(None))
    )


@dataclass(frozen=True)
class TokenInfo:
    """What a request learns from a valid token."""

    id: int
    name: str
    kind: str
    scope: Scope = None


def verify_token(session: Session, kind: str, plaintext: str) -> TokenInfo | None:
    """The active token of `kind` with this plaintext, else None. One indexed lookup: cheap enough per request."""
    if not plaintext:
        return None
    digest = token_digest(plaintext)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    # The index lookup can only leak how much of a SHA-256 digest matched, which says nothing about the
    # token; the constant-time compare keeps the final decision free of timing differences anyway.
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if token.kind != kind or token.revoked_at is not None:
        return None
    now = utc_now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
    return TokenInfo(token.id, token.name, token.kind, scope_of(token.provinces))


def token_is_active(session: Session, token_id: int) -> TokenInfo | None:
    """The token with this id if it is still active (a wall screen's session is re-checked on every request)."""
    token = session.get(ApiToken, token_id)
    if token is None or token.revoked_at is not None:
        return None
    return TokenInfo(token.id, token.name, token.kind, scope_of(token.provinces))


def revoke_token(session: Session, name: str, kind: str | None = None) -> int:
    """Revoke the active tokens with this name (of `kind`, or of any kind); returns how many were revoked."""
    query = select(ApiToken).where(ApiToken.name == name, ApiToken.revoked_at.is_(None))
    if kind is not None:
        query = query.where(ApiToken.kind == kind)
    tokens = list(session.scalars(query))
    now = utc_now()
    for token in tokens:
        token.revoked_at = now
    session.flush()
    return len(tokens)


def list_tokens(session: Session, include_revoked: bool = False) -> list[ApiToken]:
    """Tokens by kind and name; the revoked ones too on request."""
    query = select(ApiToken).order_by(ApiToken.kind, ApiToken.name, ApiToken.created_at)
    if not include_revoked:
        query = query.where(ApiToken.revoked_at.is_(None))
    return list(session.scalars(query))


def still_active(session: Session, user_ids: set[int], token_ids: set[int]) -> tuple[set[int], set[int]]:
    """Which of these users and tokens are still active: two queries, however many (open connections' re-check)."""
    users = set(session.scalars(select(User.id).where(User.id.in_(user_ids), User.active))) if user_ids else set()
    tokens = (
        set(session.scalars(select(ApiToken.id).where(ApiToken.id.in_(token_ids), ApiToken.revoked_at.is_(None))))
        if token_ids
        else set()
    )
    return users, tokens


def active_user(session: Session, user_id: int) -> User | None:
    """The user with this id if still active (re-checked on every request, so disabling takes effect at once)."""
    user = session.get(User, user_id)
    return user if user is not None and user.active else None


def provision_from_settings(session: Session, settings: Settings) -> None:
    """Make the database match the configuration: WALL_TOKENS and INGEST_TOKENS stored hashed (tokens that
    left the configuration, or whose scope changed, are revoked), and ADMIN_PASSWORD creating `admin` when there is
    no active admin. A configured name may carry its scope: `jatim-wall@35:<token>` (see `parse_scope`)."""
    for kind, configured in (("wall", settings.wall_tokens), ("ingest", settings.ingest_tokens)):
        entries = {plaintext: _named_scope(entry) for plaintext, entry in configured.items()}
        wanted = {name: (token_digest(plaintext), stored_scope(scope)) for plaintext, (name, scope) in entries.items()}
        for token in session.scalars(
            select(ApiToken).where(ApiToken.kind == kind, ApiToken.from_config, ApiToken.revoked_at.is_(None))
        ):
            if wanted.get(token.name) != (token.token_hash, token.provinces):
                token.revoked_at = utc_now()
                audit(session, "config", "token.revoke", f"{kind} {token.name}: left the configuration")
        session.flush()
        for plaintext, (name, scope) in entries.items():
            current = _active_token(session, kind, name)
            if current is not None and current.token_hash == token_digest(plaintext):
                continue
            if current is not None:
                raise ValueError(f"{kind} token {name!r} is configured but another one was issued: revoke it first")
            issue_token(session, name, kind, plaintext, from_config=True, scope=scope)
            audit(session, "config", "token.issue", f"{kind} {name} for {scope_label(scope)}")
    if settings.admin_password:
        provision_admin(session, settings.admin_password.get_secret_value())


def _named_scope(entry: str) -> tuple[str, Scope]:
    """`jatim-wall@35` -> ("jatim-wall", {"35"}); a name without `@` is for every province."""
    name, _, scope = entry.partition("@")
    return name, parse_scope(scope)


def provision_admin(session: Session, password: str) -> bool:
    """ADMIN_PASSWORD, applied by the app at each start and by `make run` before it starts the app: `admin` is
    created with `password` when there is no active admin. True when it was created."""
    if _has_admin(session):
        return False
    create_user(session, ADMIN_USERNAME, password, Role.ADMIN)
    audit(session, "config", "user.create", f"{ADMIN_USERNAME} (admin) from ADMIN_PASSWORD")
    return True


def _has_admin(session: Session) -> bool:
    query = select(User.id).where(User.role == Role.ADMIN.label, User.active).limit(1)
    return session.scalar(query) is not None
