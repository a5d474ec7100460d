"""The pages the access control answers with itself (sign in, sign out, refusals) in both languages, the
`next` target they may send a browser to, and the Content-Security-Policy of every answer."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Response, render_template_string
from flask_wtf.csrf import generate_csrf

TEXTS = {
    "id": {
        "title": "Masuk",
        "username": "Nama pengguna",
        "password": "Kata sandi",
        "submit": "Masuk",
        "failed": "Nama pengguna atau kata sandi salah.",
        "throttled": "Terlalu banyak percobaan. Coba lagi dalam {seconds} detik.",
        "unavailable": "Layanan sedang tidak tersedia. Coba lagi sebentar lagi.",
        "sign_out_title": "Keluar",
        "sign_out": "Keluar sekarang",
        "forbidden": "Anda tidak berhak membuka halaman ini.",
        "bad_token": "Token layar tidak berlaku.",
        "csrf": "Formulir kedaluwarsa. Muat ulang halaman dan coba lagi.",
    },
    "en": {
        "title": "Sign in",
        "username": "User name",
        "password": "Password",
        "submit": "Sign in",
        "failed": "Wrong user name or password.",
        "throttled": "Too many attempts. Try again in {seconds} seconds.",
        "unavailable": "The service is unavailable. Try again shortly.",
        "sign_out_title": "Sign out",
        "sign_out": "Sign out now",
        "forbidden": "You may not open this page.",
        "bad_token": "This screen token is not valid.",
        "csrf": "The form has expired. Reload the page and try again.",
    },
}

PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{ t.title if form else t.sign_out_title if sign_out else t.title }}</title></head>
<body><main>
{% if message %}<p role="alert">{{ message }}</p>{% endif %}
{% if form %}<h1>{{ t.title }}</h1>
<form method="post" action="{{ action }}">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
<input type="hidden" name="next" value="{{ next }}">
<p><label>{{ t.username }} <input name="username" autocomplete="username" required value="{{ username }}"></label></p>
<p><label>{{ t.password }} <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">{{ t.submit }}</button></p>
</form>{% endif %}
{% if sign_out %}<h1>{{ t.sign_out_title }}</h1>
<form method="post" action="{{ action }}"><input type="hidden" name="csrf_token" value="{{ csrf }}">
<button type="submit">{{ t.sign_out }}</button></form>{% endif %}
</main></body></html>"""


def page(status: int, lang: str, **context: Any) -> Response:
    """The sign-in, sign-out or refusal page in `lang`, never cached."""
    defaults = {"form": False, "sign_out": False, "message": "", "username": "", "next": "/", "action": ""}
    html = render_template_string(PAGE, lang=lang, t=TEXTS[lang], csrf=generate_csrf(), **{**defaults, **context})
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


_UNSAFE_IN_NEXT = re.compile(r"[\x00-\x20\x7f\\]")  # browsers drop tabs and newlines and read "\\" as "/"


def safe_next(target: str | None) -> str:
    """`target` when it is a path on this site, else "/". Never "//host", "https://host", or a path a browser
    would make one of: tabs, newlines and other control characters, spaces and backslashes are refused whole."""
    if not target or _UNSAFE_IN_NEXT.search(target) or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


def content_security_policy(script_hashes: Iterable[str], host: str) -> str:
    """The policy: only this site's own scripts (plus the hashes of Dash's inline scripts), styles, images,
    fonts and connections (its Socket.IO websocket included); no framing, plugins or foreign form targets."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        # Dash's renderer, dcc and plotly.js all apply inline styles: Chromium refuses them without this.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", f"ws://{host}", f"wss://{host}"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())
