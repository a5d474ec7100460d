"""Callbacks of "/sekarang": the table refreshed from the cycle the live worker published last."""

from __future__ import annotations

from typing import Any

import dash
import redis
from dash import Input, Output, State

from dashboard.i18n import t
from dashboard.i18n.formats import fmt_time_wib
from dashboard.kit import ids
from dashboard.kit.callback_inputs import NowPage, checked
from dashboard.pages.now.view import now_table, rows
from dashboard.services import services
from store.live.cycle import NoCycleYet


def register(app: dash.Dash) -> None:
    app.callback(
        Output(ids.NOW_TABLE, "children"),
        Output(ids.NOW_ASOF, "children"),
        Input(ids.NOW_INTERVAL, "n_intervals"),
        State(ids.NOW_SORT_STORE, "data"),
    )(checked(refresh))


def refresh(_n: Any, page: NowPage) -> tuple[Any, str]:
    """The regencies as the live worker last saw them, sorted as the page asks, and when."""
    lang, svc = page["lang"], services()
    try:
        snapshot = svc.cycle().snapshot
    except (redis.RedisError, NoCycleYet):
        return dash.no_update, t("now_unavailable", lang)
    table = now_table(rows(snapshot, svc.live.reference), page["sort"], page["dir"], lang)
    return table, t("ops_as_of", lang, time=fmt_time_wib(snapshot["as_of"]))
