"""The browser tab's title of each page, in the language the page is asked in (`?lang=`): Dash calls a page's
title function when it serves the page and again when it lays the page out in the browser."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from urllib.parse import parse_qs

import dash
import flask
from dash.dash import _ID_LOCATION  # the location component Dash's pages read the address from

from dashboard.i18n import DEFAULT_LANG, LANGS, t


def tab_title(key: str) -> Callable[..., str]:
    """A page's title function: the text `key` in the page's language."""

    def title(**_path_variables: str) -> str:
        return t(key, asked_lang())

    return title


def asked_lang() -> str:
    """The language of the page asked for: `lang` of the address it is served at or, in the callback that lays it
    out in the browser, of the address the browser shows."""
    lang = flask.request.args.get("lang") if flask.has_request_context() else None
    if lang is None:
        # Outside a callback Dash raises LookupError (no context yet) or its own exception.
        with contextlib.suppress(LookupError, dash.exceptions.MissingCallbackContextException):
            search = dash.ctx.inputs.get(f"{_ID_LOCATION}.search") or ""
            lang = parse_qs(search.lstrip("?")).get("lang", [None])[0]
    return lang if lang in LANGS else DEFAULT_LANG
