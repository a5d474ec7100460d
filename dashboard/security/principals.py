"""Who is asking: the signed-in user or wall screen behind a request (or a Socket.IO connection), and the state
of the installed access control that answers it (`SecurityState`, kept on the Flask app).

A session cookie counts only while its server-side session lives in Redis; users and tokens are re-read from
the database on every request, so disabling a user or revoking a token takes effect at once.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import dash
import redis
from flask import current_app, g, request, session
from flask_wtf.csrf import CSRFProtect
from itsdangerous import URLSafeSerializer
from sqlalchemy.orm import Session, sessionmaker

from dashboard.i18n import DEFAULT_LANG, LANGS
from dashboard.security.rules import (
    Rule,
)
from store.access.accounts import active_user, still_active, token_is_active
from store.access.gate import BearerGate
from store.access.models import Role, Scope
from store.access.throttle import FailureThrottle
from store.contract.keys import Keys
from store.contract.settings import Settings

EXTENSION = "command_centre_security"  # where `install_security` keeps its state on the Flask app
USER_SESSION_HOURS = 12
WALL_SESSION_DAYS = 30


@dataclass(frozen=True)
class Principal:
    """Who is asking: a user or a wall screen (`kind` "user" or "wall"), with their role; `subject` is the user's
    or the wall token's id, `session_id` the server-side session it came with (None for a bearer token), `scope`
    the provinces it may see (None: every one, the national role)."""

    kind: str
    name: str
    role: Role
    subject: int = 0
    session_id: str | None = None
    scope: Scope = None


# Sessions a user or a wall token keeps at once: an official's browsers, and every screen a wall token signs in (a
# command centre's walls, thousands in the screens benchmark), fit well within them.
SESSIONS_KEPT = {"user": 64, "wall": 5_000}


class SecurityState:
    """State of the installed guard, kept on the Flask app (several processes each build their own)."""

    def __init__(
        self,
        app: dash.Dash,
        settings: Settings,
        session_factory: sessionmaker[Session],
        client_factory: Callable[[], redis.Redis],
        rules: Sequence[Rule],
    ) -> None:
        self.app = app
        self.settings = settings
        self.session_factory = session_factory
        self.client_factory = client_factory
        self.rules = rules
        self.keys = Keys(settings.province)
        self.csrf = CSRFProtect()
        self.wall_gate = BearerGate(session_factory, client_factory, self.keys, "wall")
        self.devices = URLSafeSerializer(app.server.secret_key, salt="device")

    def start_session(self, kind: str, subject: int, seconds: int) -> None:
        """A new server-side session for the user or wall token `subject`, its id in the cookie. A subject keeps
        its newest `SESSIONS_KEPT[kind]` sessions: signing in again and again (a `?token=` link opened in a loop)
        ends the oldest rather than filling Redis."""
        session.clear()
        session_id = secrets.token_urlsafe(24)
        client = self.client_factory()
        mine = self.keys.sessions_of(kind, subject)
        pipe = client.pipeline(transaction=False)
        pipe.set(self.keys.session(session_id), f"{kind}:{subject}", ex=seconds)
        pipe.zadd(mine, {session_id: time.time()})
        pipe.expire(mine, seconds)
        pipe.zrange(mine, 0, -SESSIONS_KEPT[kind] - 1)
        ended = pipe.execute()[-1]
        if ended:
            pipe = client.pipeline(transaction=False)
            pipe.delete(*(self.keys.session(old) for old in ended))
            pipe.zrem(mine, *ended)
            pipe.execute()
        session["sid"] = session_id

    def end_session(self, session_id: str | None) -> None:
        if session_id:
            self.client_factory().delete(self.keys.session(session_id))

    def session_holds(self, session_id: str, kind: str, subject: int) -> bool:
        value = self.client_factory().get(self.keys.session(session_id))
        return value is not None and value == f"{kind}:{subject}"

    def principal(self, kind: str, subject: int, session_id: str | None = None) -> Principal | None:
        """The user or wall token `subject` as a Principal if still active, else None."""
        with self.session_factory.begin() as db:
            if kind == "user":
                user = active_user(db, subject)
                return Principal("user", user.username, user.rank, subject, session_id, user.scope) if user else None
            token = token_is_active(db, subject)
            return Principal("wall", token.name, Role.WALL, subject, session_id, token.scope) if token else None

    def still_valid(self, principals: Sequence[Principal]) -> list[bool]:
        """For each principal of an open connection: is its session alive and its user or token still active?"""
        sessions = [p.session_id for p in principals if p.session_id]
        with self.client_factory().pipeline(transaction=False) as pipe:
            for session_id in sessions:
                pipe.get(self.keys.session(session_id))
            held = dict(zip(sessions, pipe.execute(), strict=True))
        with self.session_factory.begin() as db:
            users, tokens = still_active(
                db,
                {p.subject for p in principals if p.kind == "user"},
                {p.subject for p in principals if p.kind == "wall"},
            )
        return [
            (p.session_id is None or held.get(p.session_id) or f"{p.kind}:{p.subject}" == b"")
            and p.subject in (users if p.kind == "user" else tokens)
            for p in principals
        ]

    def throttle(self, scope: str, free: int) -> FailureThrottle:
        return FailureThrottle(self.client_factory(), self.keys, scope, free=free)

    def script_hashes(self) -> list[str]:
        # Computed for each response rather than once: Dash adds inline scripts (the page router's clientside
        # callbacks) at its first request, which may come after responses such as a redirect to sign in.
        # Hashing a handful of short scripts costs microseconds.
        return list(self.app.csp_hashes())  # each already quoted: 'sha256-...'


def security_state() -> SecurityState:
    """The access control installed on the current request's app."""
    return current_app.extensions[EXTENSION]


def request_lang() -> str:
    lang = request.args.get("lang") or request.form.get("lang") or ""
    return lang if lang in LANGS else DEFAULT_LANG


def client_ip() -> str:
    # Behind a reverse proxy, wrap the app in werkzeug's ProxyFix so this is the client's address.
    return request.remote_addr or "unknown"


def current_principal() -> Principal | None:
    """Who made the current request (None: nobody). Also usable in a flask-socketio `connect` handler.

    A session cookie counts only while its server-side session (`keys.session`) lives: signing out deletes it, so
    a copied cookie stops working with the original. Raises redis.RedisError when that cannot be checked.
    """
    if "principal" in g:
        return g.principal
    state = security_state()
    principal = None
    session_id = session.get("sid")
    if session_id and ("uid" in session or "wall" in session):
        kind, subject = ("user", session["uid"]) if "uid" in session else ("wall", session["wall"])
        if state.session_holds(session_id, kind, subject):
            principal = state.principal(kind, subject, session_id)
    if principal is None and ("uid" in session or "wall" in session):
        session.clear()  # signed out, disabled user or revoked token: forget it at once
    g.principal = principal
    return principal


def still_valid(principals: Sequence[Principal]) -> list[bool]:
    """For each principal of an open connection: is its session alive and its user or token still active?"""
    return security_state().still_valid(principals)


def authorize_socket(minimum: Role = Role.WALL) -> bool:
    """For the flask-socketio `connect` handler (Socket.IO bypasses Flask's request hooks): True when the
    session's user or screen has at least `minimum`; return False from the handler otherwise."""
    principal = current_principal()
    return principal is not None and principal.role >= minimum
