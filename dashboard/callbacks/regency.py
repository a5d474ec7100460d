"""Callbacks of the regency drill-down: today's live figures pushed on "tick", and a chosen date range reloads
the page for that range."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
import redis
from dash import Input, Output, State, ctx

from dashboard import ids
from dashboard.context import services
from dashboard.i18n import fmt_time_wib, lang_from_search
from dashboard.regency_view import kpi_standing, kpi_standing_table, live_tiles


def register(app: dash.Dash) -> None:
    app.callback(
        Output(ids.REGENCY_LOCATION, "search"),
        Input(ids.REGENCY_RANGE, "start_date"),
        Input(ids.REGENCY_RANGE, "end_date"),
        State(ids.REGENCY_LOCATION, "search"),
        prevent_initial_call=True,
    )(choose_range)
    app.callback(
        Output(ids.REGENCY_LIVE, "children"),
        Output(ids.REGENCY_KPI_TABLE, "children"),
        Output(ids.REGENCY_LIVE_ASOF, "children"),
        Input(ids.REGENCY_SOCKET, "data-tick"),
        Input(ids.REGENCY_SOCKET, "connected"),
        Input(ids.REGENCY_SYNC_INTERVAL, "n_intervals"),
        State(ids.REGENCY_PAGE_STORE, "data"),
    )(refresh_live)


def choose_range(start: str | None, end: str | None, search: str | None) -> str:
    """The query string of the page for the range from `start` to `end` (ISO dates), keeping the language."""
    if not start or not end:
        return dash.no_update
    return "?" + urlencode({"period": "range", "start": start[:10], "end": end[:10], "lang": lang_from_search(search)})


def refresh_live(_tick: Any, connected: bool | None, _n: int | None, page: dict[str, Any]) -> tuple[Any, ...]:
    """Re-read the regency's live figures (the snapshot API's) and its KPIs against the province's."""
    if f"{ids.REGENCY_SOCKET}.connected" in ctx.triggered_prop_ids and not connected:
        raise dash.exceptions.PreventUpdate  # dropped: keep what is shown
    live = services().live
    code, lang = page["code"], page["lang"]
    try:
        snapshot = live.snapshot(by_opd=False)
    except redis.RedisError:
        raise dash.exceptions.PreventUpdate from None
    figures = snapshot["regencies"][code]
    standing = kpi_standing(snapshot, code, live.reference)
    return (
        live_tiles(figures, lang),
        kpi_standing_table(standing, live.reference, lang),
        fmt_time_wib(snapshot["as_of"]),
    )
