"""Callbacks of the regency drill-down: today's live figures follow the room's pushes in the browser
(`assets/regency.js`), and a chosen date range reloads the page for that range."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import ClientsideFunction, Input, Output, State

from dashboard.i18n import lang_from_search
from dashboard.kit import ids
from dashboard.kit.callback_inputs import checked
from store.history.periods import parse_day


def register(app: dash.Dash) -> None:
    app.callback(
        Output(ids.REGENCY_LOCATION, "search"),
        Input(ids.REGENCY_RANGE, "start_date"),
        Input(ids.REGENCY_RANGE, "end_date"),
        State(ids.REGENCY_LOCATION, "search"),
        prevent_initial_call=True,
    )(checked(choose_range))
    # Started with an output: Dash 4.4 skips the initial call of a callback without one (plotly/dash#3770).
    app.clientside_callback(
        ClientsideFunction("regency", "start"),
        Output(ids.REGENCY_FOLLOWING, "data"),
        Input(ids.REGENCY_PAGE_STORE, "data"),
    )


def choose_range(start: str | None, end: str | None, search: str | None) -> str:
    """The query string of the page for the range from `start` to `end` (ISO dates), keeping the language."""
    first, last = parse_day((start or "")[:10]), parse_day((end or "")[:10])
    if first is None or last is None:
        return dash.no_update
    query = {"period": "range", "start": first.isoformat(), "end": last.isoformat(), "lang": lang_from_search(search)}
    return "?" + urlencode(query)
