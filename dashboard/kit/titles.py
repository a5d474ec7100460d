"""The browser tab's title of each page, in the language the page is asked in (`?lang=`): Dash calls a page's
title function when it serves the page and again when it lays the page out in the browser."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import dash
import flask
from dash.dash import _ID_LOCATION  # the location component Dash's pages read the address from

from dashboard.i18n import DEFAULT_LANG, lang_from_search, t


def tab_title(key: str) -> Callable[..., str]:
    """A page's title function: the text `key` in the page's language."""

    def title(**_path_variables: str) -> str:
        return t(key, asked_lang())

    return title


def asked_lang() -> str:
    """The language of the page asked for: `lang` of the address it is served at or, in the callback that lays it
    out in the browser, of the address the browser shows."""
    if flask.has_request_context() and "lang" in flask.request.args:
        return lang_from_search(flask.request.query_string.decode("utf-8", "replace"))
    # Outside a callback Dash raises LookupError (no context yet) or its own exception.
    with contextlib.suppress(LookupError, dash.exceptions.MissingCallbackContextException):
        return lang_from_search(dash.ctx.inputs.get(f"{_ID_LOCATION}.search"))
    return DEFAULT_LANG
