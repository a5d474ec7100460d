"""Regency drill-down, "/kabkota/<code>": the regency's history from the SQL archive over today, 7, 30 or 90
days or a chosen range (`?period=7d`, `?period=range&start=2026-11-01&end=2026-11-20`, `&lang=en`)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

import dash
from dash import dcc, get_relative_path, html
from sqlalchemy.exc import SQLAlchemyError

from dashboard.i18n import DEFAULT_LANG, LANGS, t
from dashboard.kit import ids
from dashboard.kit.header import page_header
from dashboard.kit.theme import graph_config
from dashboard.kit.titles import tab_title
from dashboard.pages.regency.view import (
    categories_figure,
    daily_figure,
    kpi_figure,
    load_history,
    opd_table,
    summary_tiles,
    watch_table,
    within_figure,
)
from dashboard.pages.search.view import search_form
from dashboard.services import services
from store.contract import clock
from store.contract.calendar import WIB
from store.contract.reference import Reference
from store.contract.rooms import regency_room
from store.history.periods import SPANS, parse_day, period

dash.register_page(__name__, path_template="/kabkota/<code>", title=tab_title("tab_regency"), name="regency")

DEFAULT_SPAN = "7d"
# The KPI standing's columns, in the order of `screen_contract.KpiStanding`'s texts (`assets/regency.js`).
KPI_STANDING_HEADERS = ("kpi_name", "kpi_value", "kpi_state", "kpi_thresholds", "kpi_median", "kpi_rank")


def layout(
    code: str | None = None,
    lang: str = DEFAULT_LANG,
    period: str = DEFAULT_SPAN,
    start: str | None = None,
    end: str | None = None,
    **_query: Any,
) -> html.Div:
    lang = lang if lang in LANGS else DEFAULT_LANG
    reference = services().live.reference
    regency = reference.regencies.get(code or "")
    if regency is None:
        return html.Div(html.P(t("regency_unknown", lang, code=code)), className="ops-page", lang=lang)
    now = clock.now()
    first, last = _days(period, start, end, now.astimezone(WIB).date())
    try:
        with services().sessions() as session:
            history = load_history(session, reference, regency.code, first, last, now)
    except SQLAlchemyError as exc:
        body = [html.P(t("regency_unavailable", lang, error=type(exc).__name__), className="ops-result")]
    else:
        body = _sections(history, reference, lang)
    return html.Div(
        [
            page_header(
                f"/kabkota/{regency.code}",
                {k: v for k, v in {"period": period, "start": start, "end": end}.items() if v},
                reference.province_name,
                lang,
            ),
            dcc.Location(id=ids.REGENCY_LOCATION, refresh=True),
            dcc.Store(id=ids.REGENCY_FOLLOWING),
            dcc.Store(
                id=ids.REGENCY_PAGE_STORE,
                data={"code": regency.code, "lang": lang, "room": regency_room(regency.code, lang)},
            ),
            html.Header(
                [
                    html.A(t("regency_back", lang), href=get_relative_path(f"/?lang={lang}")),
                    html.H1(t("regency_title", lang, name=regency.name)),
                    html.Div(
                        t("regency_period", lang, start=_day_text(first), end=_day_text(last)),
                        className="ops-asof",
                    ),
                    html.A(
                        t("handoff_link", lang),
                        href=get_relative_path(f"/tunggu?kab={regency.code}" + ("&lang=en" if lang == "en" else "")),
                    ),
                    html.A(t("compare_link", lang), href=_compare_href(regency.code, period, first, last, lang)),
                    html.A(
                        t("visit_link", lang),
                        href=get_relative_path(f"/kunjungan?kab={regency.code}" + ("&lang=en" if lang == "en" else "")),
                    ),
                    search_form("", lang),
                ]
            ),
            _live_section(lang),
            _period_bar(regency.code, period, first, last, lang),
            *body,
        ],
        className="ops-page handover-page regency-page",
        lang=lang,
    )


def _live_section(lang: str) -> html.Section:
    """Filled from the room's pushes (`assets/regency.js`): today's tiles and the KPI standing."""
    return html.Section(
        [
            html.H2([t("regency_live_title", lang), " ", html.Span(id=ids.REGENCY_LIVE_ASOF, className="ops-asof")]),
            html.Div(id=ids.REGENCY_LIVE, className="handover-totals regency-live"),
            html.H2(t("regency_kpi_standing_title", lang)),
            html.Table(
                [
                    html.Thead(html.Tr([html.Th(t(key, lang)) for key in KPI_STANDING_HEADERS])),
                    html.Tbody(id=ids.REGENCY_KPI_TABLE),
                ],
                className="ops-table",
            ),
        ],
        className="ops-section regency-live-section",
    )


def _compare_href(code: str, span: str, first: date, last: date, lang: str) -> str:
    """The briefing with this regency chosen over the period the page shows: one more regency makes it complete."""
    query = {"regencies": code, "period": span}
    if span == "range":
        query |= {"start": first.isoformat(), "end": last.isoformat()}
    return get_relative_path("/briefing?" + urlencode(query | ({"lang": "en"} if lang == "en" else {})))


def _days(span: str, start: str | None, end: str | None, today: date) -> tuple[date, date]:
    try:
        return period(span, today, parse_day(start), parse_day(end))
    except ValueError:
        return period(DEFAULT_SPAN, today)


def _day_text(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def _period_bar(code: str, span: str, first: date, last: date, lang: str) -> html.Nav:
    links = [
        html.A(
            t(f"regency_period_{name}", lang),
            href=get_relative_path(f"/kabkota/{code}?period={name}&lang={lang}"),
            className="ops-btn" + (" regency-period-active" if name == span else ""),
        )
        for name in SPANS
    ]
    picker = dcc.DatePickerRange(
        id=ids.REGENCY_RANGE,
        start_date=first.isoformat(),
        end_date=last.isoformat(),
        display_format="DD-MM-YYYY",
        first_day_of_week=1,
    )
    return html.Nav([*links, picker], className="handover-controls")


def _sections(history: dict[str, Any], reference: Reference, lang: str) -> list[Any]:
    series = history["series"]
    if not any(series["received"]) and not any(series["resolved"]) and not history["watch"]:
        empty = html.P(t("regency_no_history", lang), className="ops-empty")
    else:
        empty = None
    kpis = [
        dcc.Graph(
            id={"type": ids.REGENCY_KPI_GRAPH, "metric": metric},
            figure=kpi_figure(values, reference.kpis[metric], lang),
            config=graph_config(lang),
        )
        for metric, values in history["kpis"].items()
        if metric in reference.kpis
    ]
    return [
        html.Section(
            [empty, html.Div(summary_tiles(history["summary"], lang), className="handover-totals")],
            id=ids.REGENCY_SUMMARY,
            className="ops-section",
        ),
        _section(
            "regency_trend_title",
            lang,
            dcc.Graph(id=ids.REGENCY_TREND_GRAPH, figure=daily_figure(series, lang), config=graph_config(lang)),
        ),
        _section(
            "regency_within_title",
            lang,
            dcc.Graph(id=ids.REGENCY_WITHIN_GRAPH, figure=within_figure(series, lang), config=graph_config(lang)),
        ),
        _section(
            "regency_categories_title",
            lang,
            dcc.Graph(
                id=ids.REGENCY_CATEGORIES_GRAPH,
                figure=categories_figure(history["categories"], reference, lang),
                config=graph_config(lang),
            ),
        ),
        _section("regency_opd_title", lang, html.Div(opd_table(history["opds"], lang), id=ids.REGENCY_OPD_TABLE)),
        _section(
            "regency_watch_title",
            lang,
            html.Div(watch_table(history["watch"], reference, lang), id=ids.REGENCY_WATCH_TABLE),
        ),
        *([_section("regency_kpi_title", lang, html.Div(kpis))] if kpis else []),
    ]


def _section(title_key: str, lang: str, content: Any) -> html.Section:
    return html.Section([html.H2(t(title_key, lang)), content], className="ops-section")
