"""The sign-in and sign-out pages (`/masuk`, `/keluar`), with the sign-in throttles and the device cookie."""

from __future__ import annotations

import logging
import secrets

import redis
from flask import Response, redirect, request, session
from flask_wtf.csrf import CSRFError
from itsdangerous import BadSignature

from dashboard.i18n import t, tn
from dashboard.security.pages import page, safe_next
from dashboard.security.principals import (
    USER_SESSION_HOURS,
    SecurityState,
    client_ip,
    current_principal,
    request_lang,
    security_state,
)
from dashboard.security.rules import (
    SIGN_IN_PATH,
    SIGN_OUT_PATH,
)
from store.access.accounts import audit, verify_password
from store.access.throttle import FailureThrottle

log = logging.getLogger(__name__)

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


def sign_in_page() -> Response:
    state = security_state()
    lang = request_lang()
    action = SIGN_IN_PATH + (f"?lang={lang}" if lang != "id" else "")
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return page(200, lang, form=True, next=target, action=action)
    username = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")
    ip = client_ip()
    try:
        throttles = _sign_in_throttles(state, username.lower(), ip)
        wait = max(throttle.retry_after(subject) for throttle, subject in throttles)
    except redis.RedisError:
        log.exception("sign-in throttle unavailable")
        return page(
            503, lang, form=True, next=target, action=action, username=username, message=t("signin_unavailable", lang)
        )
    if wait:
        seconds = max(1, round(wait))
        message = tn("signin_throttled", seconds, lang, seconds=seconds)
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
        return page(
            401, lang, form=True, next=target, action=action, username=username, message=t("signin_failed", lang)
        )
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


def _sign_in_throttles(state: SecurityState, username: str, ip: str) -> list[tuple[FailureThrottle, str]]:
    """The throttles a sign-in attempt for `username` from `ip` counts against, with their subjects."""
    device = _device_of(state, username)
    if device is not None:
        return [(state.throttle("signin-device", SIGN_IN_FREE_PER_DEVICE), device)]
    return [
        (state.throttle("signin-user-ip", SIGN_IN_FREE_PER_USER_AND_IP), f"{username}|{ip}"),
        (state.throttle("signin-user", SIGN_IN_FREE_PER_USER), username),
        (state.throttle("signin-ip", SIGN_IN_FREE_PER_IP), ip),
    ]


def _device_of(state: SecurityState, username: str) -> str | None:
    """The id of this browser's device cookie when `username` signed in from it before, else None."""
    try:
        value = state.devices.loads(request.cookies.get(DEVICE_COOKIE, ""))
    except BadSignature:
        return None
    if not isinstance(value, dict) or value.get("user") != username or not isinstance(value.get("device"), str):
        return None
    return value["device"]


def sign_out_page() -> Response:
    lang = request_lang()
    action = SIGN_OUT_PATH + (f"?lang={lang}" if lang != "id" else "")
    if request.method == "GET":
        return page(200, request_lang(), sign_out=True, action=action)
    principal = current_principal()
    if principal is not None:
        with security_state().session_factory.begin() as db:
            audit(db, principal.name, "signout", principal.kind, client_ip())
    security_state().end_session(session.get("sid"))  # the cookie, and any copy of it, is out at once
    session.clear()
    return redirect(SIGN_IN_PATH + (f"?lang={lang}" if lang != "id" else ""))


def csrf_failed(error: CSRFError) -> Response:
    lang = request_lang()
    if request.path == SIGN_IN_PATH:
        return page(400, lang, form=True, next=safe_next(request.values.get("next")), message=t("denied_csrf", lang))
    return page(400, lang, message=t("denied_csrf", lang))
