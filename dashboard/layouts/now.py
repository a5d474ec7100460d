"""Every regency now, "/sekarang": the officials' way in from the wall, a table sortable by any column (`?sort=`
and `dir=`), the most overdue first, each regency a link to its page; refreshed from the live cycle."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from dashboard.i18n import DEFAULT_LANG, LANGS, t
from dashboard.kit import ids
from dashboard.kit.header import page_header
from dashboard.kit.titles import tab_title
from dashboard.pages.now.view import parse_sort
from dashboard.services import services

dash.register_page(__name__, path="/sekarang", title=tab_title("tab_now"), name="now")

REFRESH_MS = 10_000


def layout(lang: str = DEFAULT_LANG, sort: str = "", dir: str = "", **_query: Any) -> html.Div:
    lang = lang if lang in LANGS else DEFAULT_LANG
    column, direction = parse_sort(sort, dir)
    query = {"sort": column, "dir": direction} | ({"lang": lang} if lang == "en" else {})
    return html.Div(
        [
            page_header("/sekarang", query, services().live.reference.province_name, lang),
            dcc.Interval(id=ids.NOW_INTERVAL, interval=REFRESH_MS),
            dcc.Store(id=ids.NOW_SORT_STORE, data={"lang": lang, "sort": column, "dir": direction}),
            html.Header(
                [html.H1(t("now_title", lang)), html.Div(id=ids.NOW_ASOF, className="ops-asof", role="status")]
            ),
            html.P(t("now_hint", lang)),
            html.Section(id=ids.NOW_TABLE, className="ops-section now-section"),
        ],
        className="ops-page now-page",
        lang=lang,
    )
