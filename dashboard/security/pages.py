"""The pages the access control answers with itself (sign in, sign out, refusals) in the request's language,
from `templates/security/page.html`, and the `next` target they may send a browser to."""

from __future__ import annotations

import re
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, render_template
from flask_wtf.csrf import generate_csrf

from dashboard.i18n import t

# Registered only for its templates: the pages' routes are added by `install_security`.
TEMPLATES = Blueprint("security", __name__, template_folder="templates")


def page(status: int, lang: str, **context: Any) -> Response:
    """The sign-in, sign-out or refusal page in `lang`, never cached."""
    defaults = {"form": False, "sign_out": False, "message": "", "username": "", "next": "/", "action": ""}
    html = render_template(
        "security/page.html", lang=lang, t=partial(t, lang=lang), csrf=generate_csrf(), **{**defaults, **context}
    )
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
