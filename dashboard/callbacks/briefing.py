"""Callbacks of the briefing page: any change of its controls reloads the page for the new query string, so
the URL always reproduces what is shown; the print button opens the browser's print dialog."""

from __future__ import annotations

import dash
from dash import Input, Output, State

from dashboard.i18n import lang_from_search
from dashboard.kit import ids
from dashboard.kit.callback_inputs import checked
from dashboard.pages.briefing.view import BriefingRequest
from store.history.periods import parse_day


def register(app: dash.Dash) -> None:
    app.callback(
        Output(ids.BRIEFING_LOCATION, "search"),
        Input(ids.BRIEFING_REGENCIES, "value"),
        Input(ids.BRIEFING_PERIOD, "value"),
        Input(ids.BRIEFING_RANGE, "start_date"),
        Input(ids.BRIEFING_RANGE, "end_date"),
        Input(ids.BRIEFING_SINCE, "date"),
        State(ids.BRIEFING_LOCATION, "search"),
        prevent_initial_call=True,
    )(checked(choose))
    app.clientside_callback(
        dash.ClientsideFunction("ops", "print"),
        Output(ids.BRIEFING_PRINT_BTN, "title"),
        Input(ids.BRIEFING_PRINT_BTN, "n_clicks"),
        prevent_initial_call=True,
    )


def choose(
    codes: list[str] | None,
    span: str | None,
    start: str | None,
    end: str | None,
    since: str | None,
    search: str | None,
) -> str:
    """The query string of the briefing the controls describe; picking dates switches to a chosen range."""
    first, last, from_day = parse_day((start or "")[:10]), parse_day((end or "")[:10]), parse_day((since or "")[:10])
    if first is None or last is None or from_day is None:
        return dash.no_update
    if dash.ctx.triggered_id == ids.BRIEFING_RANGE:
        span = "range"
    request = BriefingRequest(tuple(codes or ()), span or "range", first, last, from_day, lang_from_search(search))
    return "?" + request.query()
