"""Callbacks of the regency drill-down: today's live figures follow the room's pushes in the browser
(`assets/regency.js`), and a chosen date range reloads the page for that range."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import ClientsideFunction, Input, Output, State

from dashboard.i18n import lang_from_search
from dashboard.kit import ids
from store.contract.rooms import VIEW_EVENT


def register(app: dash.Dash) -> None:
    app.callback(
        Output(ids.REGENCY_LOCATION, "search"),
        Input(ids.REGENCY_RANGE, "start_date"),
        Input(ids.REGENCY_RANGE, "end_date"),
        State(ids.REGENCY_LOCATION, "search"),
        prevent_initial_call=True,
    )(choose_range)
    app.clientside_callback(
        ClientsideFunction("regency", "receive"),
        Input(ids.REGENCY_SOCKET, f"data-{VIEW_EVENT}"),
        State(ids.REGENCY_PAGE_STORE, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("regency", "connected"),
        Input(ids.REGENCY_SOCKET, "connected"),
        State(ids.REGENCY_PAGE_STORE, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("screens", "connection"),
        Input(ids.REGENCY_SOCKET, "connected"),
        Input(ids.REGENCY_SOCKET, "socketId"),
    )


def choose_range(start: str | None, end: str | None, search: str | None) -> str:
    """The query string of the page for the range from `start` to `end` (ISO dates), keeping the language."""
    if not start or not end:
        return dash.no_update
    return "?" + urlencode({"period": "range", "start": start[:10], "end": end[:10], "lang": lang_from_search(search)})
