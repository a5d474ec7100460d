"""Access control of the Dash app, installed with one call: `install_security(app, settings, session_factory)`.

The rule table of `dashboard.access_rules` says who may reach each path and each callback; anything without a
rule is denied. Checks run on the server before Dash sees the request: hiding a link is never what keeps a page
private.

Who is asking: a signed-in user (session cookie), or a wall screen presenting its token once with `?token=`
(then its own session cookie) or on every request with `Authorization: Bearer`. Both are re-read from the
database on every request, so disabling a user or revoking a token takes effect at once.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import dash
import redis
from flask import Flask, Response, g, jsonify, redirect, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session, sessionmaker

from dashboard.access_rules import (
    BY_PAGE,
    OWN_TOKEN,
    PUBLIC,
    RULES,
    SIGN_IN_PATH,
    SIGN_OUT_PATH,
    Rule,
    callback_component_ids,
    malformed_callback,
    requested_page,
    rule_for_callback,
    rule_for_path,
)
from dashboard.security_pages import TEXTS, content_security_policy, page, safe_next
from dashboard.tenancy import request_province
from store.auth import (
    Role,
    Scope,
    active_user,
    audit,
    scope_label,
    still_active,
    token_is_active,
    verify_password,
    within,
)
from store.config import Settings
from store.connection import web_client
from store.gate import BearerGate, bearer_token
from store.keys import Keys
from store.throttle import FailureThrottle

log = logging.getLogger(__name__)

USER_SESSION_HOURS = 12
WALL_SESSION_DAYS = 30
# Sign-in throttles: a person mistypes a few times; an address may be an office behind one NAT, and a user name
# is known to anyone who wants to lock its owner out. So failures count per user name and address (5 free), per
# user name (20) and per address (100); a browser its user signed in from before carries a device cookie, and
# counts only its own failures (5), so nobody elsewhere can lock that user out of their own machine.
SIGN_IN_FREE_PER_USER_AND_IP = 5
SIGN_IN_FREE_PER_USER = 20
SIGN_IN_FREE_PER_IP = 100
SIGN_IN_FREE_PER_DEVICE = 5
DEVICE_COOKIE = "scc_device"
DEVICE_COOKIE_DAYS = 365


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


class _SessionInterface(SecureCookieSessionInterface):
    """Session cookies marked Secure when the request came over HTTPS, or always when configured."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


# ---------------------------------------------------------------------------------------------- install


class _Security:
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
        """A new server-side session for the user or wall token `subject`, its id in the cookie."""
        session.clear()
        session_id = secrets.token_urlsafe(24)
        self.client_factory().set(self.keys.session(session_id), f"{kind}:{subject}", ex=seconds)
        session["sid"] = session_id

    def end_session(self, session_id: str | None) -> None:
        if session_id:
            self.client_factory().delete(self.keys.session(session_id))

    def session_holds(self, session_id: str, kind: str, subject: int) -> bool:
        value = self.client_factory().get(self.keys.session(session_id))
        return value is not None and _text(value) == f"{kind}:{subject}"

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
            (p.session_id is None or _text(held.get(p.session_id) or b"") == f"{p.kind}:{p.subject}")
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


def install_security(
    app: dash.Dash,
    settings: Settings,
    session_factory: sessionmaker[Session],
    client_factory: Callable[[], redis.Redis] | None = None,
    rules: Sequence[Rule] = RULES,
) -> None:
    """Put every request to `app` behind the rule table, add the sign-in and sign-out pages, CSRF protection,
    sign-in throttles and security headers.

    Call it after creating the app and before serving; routes and callbacks may be added before or after.
    `client_factory` gives the Redis client for the throttles (default: one client for `settings.redis_url`).
    """
    server = app.server
    if client_factory is None:
        shared = web_client(settings.redis_url or "redis://127.0.0.1:6379/0")

        def client_factory() -> redis.Redis:
            return shared

    secret = settings.secret_key
    if not secret:
        log.warning("SECRET_KEY is not set: sessions end when this process stops and are not shared")
        secret = secrets.token_urlsafe(32)
    server.secret_key = secret
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.cookie_secure,
        # The cookie lives as long as a wall screen's session; a person's server-side session ends sooner.
        PERMANENT_SESSION_LIFETIME=timedelta(days=WALL_SESSION_DAYS),
        # The guard decides which requests need a CSRF token (forms), rather than every POST.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    server.session_interface = _SessionInterface()
    state = _Security(app, settings, session_factory, client_factory, rules)
    state.csrf.init_app(server)
    server.extensions["command_centre_security"] = state
    # Run before Dash's own hooks, so nothing of Dash runs for a request that is denied.
    server.before_request_funcs.setdefault(None, []).insert(0, _guard)
    server.after_request(_headers)
    server.register_error_handler(CSRFError, _csrf_failed)
    server.register_error_handler(redis.ConnectionError, _redis_unavailable)
    server.register_error_handler(redis.TimeoutError, _redis_unavailable)
    server.add_url_rule(SIGN_IN_PATH, "sign_in", _sign_in, methods=["GET", "POST"])
    server.add_url_rule(SIGN_OUT_PATH, "sign_out", _sign_out, methods=["GET", "POST"])


def _state() -> _Security:
    from flask import current_app

    return current_app.extensions["command_centre_security"]


def _lang() -> str:
    lang = request.args.get("lang") or request.form.get("lang") or ""
    return lang if lang in TEXTS else "id"


def _client_ip() -> str:
    # Behind a reverse proxy, wrap the app in werkzeug's ProxyFix so this is the client's address.
    return request.remote_addr or "unknown"


# ---------------------------------------------------------------------------------------------- who is asking


def current_principal() -> Principal | None:
    """Who made the current request (None: nobody). Also usable in a flask-socketio `connect` handler.

    A session cookie counts only while its server-side session (`keys.session`) lives: signing out deletes it, so
    a copied cookie stops working with the original. Raises redis.RedisError when that cannot be checked.
    """
    if "principal" in g:
        return g.principal
    state = _state()
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
    return _state().still_valid(principals)


def authorize_socket(minimum: Role = Role.WALL) -> bool:
    """For the flask-socketio `connect` handler (Socket.IO bypasses Flask's request hooks): True when the
    session's user or screen has at least `minimum`; return False from the handler otherwise."""
    principal = current_principal()
    return principal is not None and principal.role >= minimum


# ---------------------------------------------------------------------------------------------- the guard


def _guard() -> Response | None:
    """Before every request: allow, or answer 401/403/429 (or send a browser to sign in); 503 while Redis, which
    holds the sessions and throttles, cannot be reached (the session is kept for when it returns)."""
    try:
        return _check_request()
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        return _redis_unavailable(exc)


def _redis_unavailable(error: redis.ConnectionError | redis.TimeoutError) -> Response:
    log.warning("cannot serve %s %s: Redis unreachable (%s)", request.method, request.path, error)
    response = jsonify({"error": "service unavailable"})
    response.status_code = 503
    response.headers["Retry-After"] = "5"
    return response


def _check_request() -> Response | None:
    if request.routing_exception is not None:
        return None  # no such route or method: Flask answers 404 or 405, and no view runs
    state = _state()
    rule = rule_for_path(request.path, state.rules)
    if rule is None:
        return _deny(current_principal(), "no rule")
    if rule.access == OWN_TOKEN:
        return None if request.method == "POST" else _only_post()
    if rule.access == PUBLIC:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            state.csrf.protect()
        return None
    principal = current_principal()
    if principal is None and (token := bearer_token(request.headers.get("Authorization"))):
        verdict = state.wall_gate.check(f"Bearer {token}", _client_ip())
        if not verdict.accepted:
            return _deny_token(verdict.status, verdict.retry_after)
        token = verdict.token
        principal = g.principal = Principal("wall", token.name, Role.WALL, token.id, scope=token.scope)
    if principal is None and "token" in request.args and request.method == "GET":
        return _wall_sign_in(state)
    if rule.access == "callback":
        if not _same_origin():
            return _deny(principal, "cross-origin callback")
        required, national = _callback_role(state)
        if isinstance(required, Role) and principal is not None and principal.role >= required:
            problem = malformed_callback(request.get_json(silent=True), state.app.callback_map)
            if problem:
                return _bad_request(f"callback request: {problem}")
    else:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            state.csrf.protect()
        required, national = rule.access, rule.national
    if not isinstance(required, Role):
        return _deny(principal, "no rule")
    if principal is None or principal.role < required:
        return _deny(principal, f"needs {required.label}")
    province = request_province(state.settings.province)
    if not within(principal.scope, province) or (national and principal.scope is not None):
        return _deny(principal, f"not for its provinces ({scope_label(principal.scope)})")
    return None


def _callback_role(state: _Security) -> tuple[Role | None, bool]:
    """The role a `_dash-update-component` request needs: the highest among what it updates (None when any of
    those has no rule), and whether any of it is national. The router callback needs the rule of the page it is
    asked to render."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or body.get("output") not in state.app.callback_map:
        return None, False
    key = body["output"]
    required, national = Role.WALL, False
    for component_id in callback_component_ids(key, state.app.callback_map[key]):
        rule = rule_for_callback(component_id, state.rules)
        if rule is not None and rule.access == BY_PAGE:
            rule = rule_for_path(requested_page(body, state.app.config.requests_pathname_prefix), state.rules)
        if rule is None or not isinstance(rule.access, Role):
            return None, False
        required, national = max(required, rule.access), national or rule.national
    return required, national


def _only_post() -> Response:
    """An ingest endpoint takes POST only; without this Dash's page router would answer its GET with a page."""
    response = jsonify({"error": "only POST"}) if request.method != "OPTIONS" else Response(status=204)
    response.status_code = 204 if request.method == "OPTIONS" else 405
    response.headers["Allow"] = "POST, OPTIONS"
    return response


def _bad_request(message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = 400
    return response


def _same_origin() -> bool:
    # Dash posts callbacks as JSON, which a foreign page cannot send without a CORS preflight, and the
    # SameSite=Lax cookie is not sent on foreign POSTs; a foreign Origin header is refused all the same.
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


def _deny(principal: Principal | None, reason: str) -> Response:
    log.info("denied %s %s to %s: %s", request.method, request.path, principal.name if principal else "-", reason)
    wants_page = request.method == "GET" and request.accept_mimetypes.accept_html and not _is_api()
    if principal is None and wants_page:
        query = urlencode(
            {
                "next": request.script_root + request.full_path.rstrip("?"),
                **({"lang": _lang()} if _lang() != "id" else {}),
            }
        )
        return redirect(f"{SIGN_IN_PATH}?{query}")
    status = 401 if principal is None else 403
    if wants_page:
        return page(status, _lang(), message=TEXTS[_lang()]["forbidden"])
    response = jsonify({"error": "sign in or present a token" if status == 401 else "forbidden"})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def _is_api() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/_dash-")


def _deny_token(status: int, retry_after: float) -> Response:
    response = jsonify({"error": "too many attempts" if status == 429 else "invalid or revoked token"})
    response.status_code = status
    if status == 429:
        response.headers["Retry-After"] = str(max(1, round(retry_after)))
    else:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def _wall_sign_in(state: _Security) -> Response:
    """`?token=` on a page: check it once, give this screen a session cookie, and drop the token from the URL
    (so it stays out of history, logs and Referer headers)."""
    ip = _client_ip()
    verdict = state.wall_gate.check(f"Bearer {request.args['token']}", ip)
    if not verdict.accepted:
        if verdict.status == 429:
            return _deny_token(429, verdict.retry_after)
        return page(401, _lang(), message=TEXTS[_lang()]["bad_token"])
    state.start_session("wall", verdict.token.id, WALL_SESSION_DAYS * 86400)
    session["wall"] = verdict.token.id
    session.permanent = True
    with state.session_factory.begin() as db:
        audit(db, f"wall:{verdict.token.name}", "wall.signin", request.path, ip)
    rest = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "token"])
    return redirect(request.script_root + request.path + (f"?{rest}" if rest else ""))


# ---------------------------------------------------------------------------------------------- pages


def _sign_in() -> Response:
    state = _state()
    lang = _lang()
    texts = TEXTS[lang]
    action = SIGN_IN_PATH + (f"?lang={lang}" if lang != "id" else "")
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return page(200, lang, form=True, next=target, action=action)
    username = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")
    ip = _client_ip()
    try:
        throttles = _sign_in_throttles(state, username.lower(), ip)
        wait = max(throttle.retry_after(subject) for throttle, subject in throttles)
    except redis.RedisError:
        log.exception("sign-in throttle unavailable")
        return page(503, lang, form=True, next=target, action=action, username=username, message=texts["unavailable"])
    if wait:
        message = texts["throttled"].format(seconds=max(1, round(wait)))
        response = page(429, lang, form=True, next=target, action=action, username=username, message=message)
        response.headers["Retry-After"] = str(max(1, round(wait)))
        return response
    with state.session_factory.begin() as db:
        user = verify_password(db, username, password)
        audit(db, username or "-", "signin" if user else "signin.failed", "", ip)
        user_id = user.id if user else None
    if user_id is None:
        for throttle, subject in throttles:
            throttle.failed(subject)
        return page(401, lang, form=True, next=target, action=action, username=username, message=texts["failed"])
    for throttle, subject in throttles:
        throttle.succeeded(subject)
    state.start_session("user", user_id, USER_SESSION_HOURS * 3600)
    session["uid"] = user_id
    session.permanent = True
    response = redirect(target)
    response.set_cookie(
        DEVICE_COOKIE,
        state.devices.dumps({"user": username.lower(), "device": secrets.token_urlsafe(12)}),
        max_age=DEVICE_COOKIE_DAYS * 86400,
        httponly=True,
        samesite="Lax",
        secure=bool(state.app.server.config["SESSION_COOKIE_SECURE"]) or request.is_secure,
    )
    return response


def _sign_in_throttles(state: _Security, username: str, ip: str) -> list[tuple[FailureThrottle, str]]:
    """The throttles a sign-in attempt for `username` from `ip` counts against, with their subjects."""
    device = _device_of(state, username)
    if device is not None:
        return [(state.throttle("signin-device", SIGN_IN_FREE_PER_DEVICE), device)]
    return [
        (state.throttle("signin-user-ip", SIGN_IN_FREE_PER_USER_AND_IP), f"{username}|{ip}"),
        (state.throttle("signin-user", SIGN_IN_FREE_PER_USER), username),
        (state.throttle("signin-ip", SIGN_IN_FREE_PER_IP), ip),
    ]


def _device_of(state: _Security, username: str) -> str | None:
    """The id of this browser's device cookie when `username` signed in from it before, else None."""
    try:
        value = state.devices.loads(request.cookies.get(DEVICE_COOKIE, ""))
    except BadSignature:
        return None
    if not isinstance(value, dict) or value.get("user") != username or not isinstance(value.get("device"), str):
        return None
    return value["device"]


def _sign_out() -> Response:
    lang = _lang()
    action = SIGN_OUT_PATH + (f"?lang={lang}" if lang != "id" else "")
    if request.method == "GET":
        return page(200, _lang(), sign_out=True, action=action)
    principal = current_principal()
    if principal is not None:
        with _state().session_factory.begin() as db:
            audit(db, principal.name, "signout", principal.kind, _client_ip())
    _state().end_session(session.get("sid"))  # the cookie, and any copy of it, is out at once
    session.clear()
    return redirect(SIGN_IN_PATH + (f"?lang={lang}" if lang != "id" else ""))


def _csrf_failed(error: CSRFError) -> Response:
    lang = _lang()
    if request.path == SIGN_IN_PATH:
        return page(400, lang, form=True, next=safe_next(request.values.get("next")), message=TEXTS[lang]["csrf"])
    return page(400, lang, message=TEXTS[lang]["csrf"])


# ---------------------------------------------------------------------------------------------- headers


def _headers(response: Response) -> Response:
    state = _state()
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(state.script_hashes(), request.host))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
