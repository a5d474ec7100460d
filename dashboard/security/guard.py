"""Access control of the Dash app, installed with one call: `install_security(app, settings, session_factory)`.

The rule table of `dashboard.security.rules` says who may reach each path and each callback; anything without a
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
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import dash
import redis
from flask import Flask, Response, g, jsonify, redirect, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm import Session, sessionmaker

from dashboard.i18n import t
from dashboard.security.headers import security_headers
from dashboard.security.pages import TEMPLATES, page
from dashboard.security.principals import (
    EXTENSION,
    WALL_SESSION_DAYS,
    Principal,
    SecurityState,
    client_ip,
    current_principal,
    request_lang,
    security_state,
)
from dashboard.security.rules import (
    BY_PAGE,
    OPEN_STANDARD,
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
from dashboard.security.sign_in import csrf_failed, sign_in_page, sign_out_page
from dashboard.tenancy import request_province
from store.access.accounts import audit
from store.access.gate import bearer_token
from store.access.models import Role, scope_label, within
from store.contract.settings import Settings
from store.servers.redis_clients import web_client

log = logging.getLogger(__name__)


class _SessionInterface(SecureCookieSessionInterface):
    """Session cookies marked Secure when the request came over HTTPS, or always when configured."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


# ---------------------------------------------------------------------------------------------- install


def install_security(
    app: dash.Dash,
    settings: Settings,
    session_factory: sessionmaker[Session],
    client_factory: Callable[[], redis.Redis] | None = None,
    rules: Sequence[Rule] = RULES,
) -> SecurityState:
    """Put every request to `app` behind the rule table, add the sign-in and sign-out pages, CSRF protection,
    sign-in throttles and security headers.

    Call it after creating the app and before serving; routes and callbacks may be added before or after.
    `client_factory` gives the Redis client for the throttles (default: one client for `settings.redis_url`).
    Returns the installed state (`dashboard.security.principals.SecurityState`).
    """
    server = app.server
    if client_factory is None:
        shared = web_client(settings.redis_url or "redis://127.0.0.1:6379/0")

        def client_factory() -> redis.Redis:
            return shared

    secret = settings.secret_key.get_secret_value() if settings.secret_key else None
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
    state = SecurityState(app, settings, session_factory, client_factory, rules)
    state.csrf.init_app(server)
    server.extensions[EXTENSION] = state
    # Run before Dash's own hooks, so nothing of Dash runs for a request that is denied.
    server.before_request_funcs.setdefault(None, []).insert(0, _guard)
    server.after_request(security_headers)
    server.register_blueprint(TEMPLATES)
    server.register_error_handler(CSRFError, csrf_failed)
    server.register_error_handler(redis.ConnectionError, _redis_unavailable)
    server.register_error_handler(redis.TimeoutError, _redis_unavailable)
    server.add_url_rule(SIGN_IN_PATH, "sign_in", sign_in_page, methods=["GET", "POST"])
    server.add_url_rule(SIGN_OUT_PATH, "sign_out", sign_out_page, methods=["GET", "POST"])
    return state


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
    state = security_state()
    rule = rule_for_path(request.path, state.rules)
    if rule is None:
        return _deny(current_principal(), "no rule")
    if rule.access == OWN_TOKEN:
        return None if request.method == "POST" else _only_post()
    if rule.access == OPEN_STANDARD:
        return None
    if rule.access == PUBLIC:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            state.csrf.protect()
        return None
    principal = current_principal()
    if principal is None and (token := bearer_token(request.headers.get("Authorization"))):
        verdict = state.wall_gate.check(f"Bearer {token}", client_ip())
        if not verdict.accepted:
            return _deny_token(verdict.throttled, verdict.retry_after)
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
            if not rule.same_origin:
                state.csrf.protect()
            elif not _same_origin():
                return _deny(principal, "cross-origin post")
        required, national = rule.access, rule.national
    if not isinstance(required, Role):
        return _deny(principal, "no rule")
    if principal is None or principal.role < required:
        return _deny(principal, f"needs {required.label}")
    province = request_province(state.settings.province)
    if not within(principal.scope, province) or (national and principal.scope is not None):
        return _deny(principal, f"not for its provinces ({scope_label(principal.scope)})")
    return None


def _callback_role(state: SecurityState) -> tuple[Role | None, bool]:
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
                **({"lang": request_lang()} if request_lang() != "id" else {}),
            }
        )
        return redirect(f"{SIGN_IN_PATH}?{query}")
    status = 401 if principal is None else 403
    if wants_page:
        return page(status, request_lang(), message=t("denied_forbidden", request_lang()))
    response = jsonify({"error": "sign in or present a token" if status == 401 else "forbidden"})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def _is_api() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/_dash-")


def _deny_token(throttled: bool, retry_after: float) -> Response:
    """429 with `Retry-After` while throttled, else 401."""
    response = jsonify({"error": "too many attempts" if throttled else "invalid or revoked token"})
    response.status_code = 429 if throttled else 401
    if throttled:
        response.headers["Retry-After"] = str(max(1, round(retry_after)))
    else:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def _wall_sign_in(state: SecurityState) -> Response:
    """`?token=` on a page: check it once, give this screen a session cookie, and drop the token from the URL
    (so it stays out of history, logs and Referer headers)."""
    ip = client_ip()
    verdict = state.wall_gate.check(f"Bearer {request.args['token']}", ip)
    if not verdict.accepted:
        if verdict.throttled:
            return _deny_token(True, verdict.retry_after)
        return page(401, request_lang(), message=t("denied_bad_token", request_lang()))
    held = session.get("sid")
    if not (session.get("wall") == verdict.token.id and held and state.session_holds(held, "wall", verdict.token.id)):
        state.start_session("wall", verdict.token.id, WALL_SESSION_DAYS * 86400)  # a screen signed in keeps its own
        session["wall"] = verdict.token.id
        session.permanent = True
        with state.session_factory.begin() as db:
            audit(db, f"wall:{verdict.token.name}", "wall.signin", request.path, ip)
    rest = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "token"])
    return redirect(request.script_root + request.path + (f"?{rest}" if rest else ""))
