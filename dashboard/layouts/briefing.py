"""Briefing, "/briefing": 2 to 6 regencies side by side with the province median over a period, exported as CSV
or Excel, printed one A4 page per regency (the browser's print to PDF makes the brief pack). The URL alone
reproduces the view (see `dashboard.pages.briefing.view`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import dash
from dash import dcc, get_relative_path, html
from sqlalchemy.exc import SQLAlchemyError

from dashboard.i18n import area_text, dropdown_labels, t
from dashboard.kit import ids
from dashboard.kit.header import page_header
from dashboard.kit.reports import REPORTS_AT_ONCE, TooManyReports, report_in_session
from dashboard.kit.titles import tab_title
from dashboard.pages.briefing.view import (
    BriefingRequest,
    compare_table,
    compared_among,
    load_briefing,
    parse_request,
    regency_sheet,
)
from dashboard.services import services
from store.contract import clock
from store.contract.calendar import WIB
from store.contract.provinces import NATIONAL
from store.contract.reference import Reference
from store.history.periods import SPANS

dash.register_page(__name__, path="/briefing", title=tab_title("tab_briefing"), name="briefing")


def layout(**query: Any) -> html.Div:
    reference = services().live.reference
    now = clock.now()
    request = parse_request(query, reference, now.astimezone(WIB).date())
    lang = request.lang
    if not request.complete:
        body = [html.P(area_text("briefing_need", lang, reference.province == NATIONAL), className="ops-empty")]
    else:
        try:
            among = compared_among(reference, services().settings.provinces)
            briefing = report_in_session(services().sessions, load_briefing, among, request, now)
        except SQLAlchemyError as exc:
            body = [html.P(t("regency_unavailable", lang, error=type(exc).__name__), className="ops-result")]
        except TooManyReports:
            body = [html.P(t("reports_busy", lang, n=REPORTS_AT_ONCE), className="ops-result")]
        else:
            body = _body(briefing, request, reference)
    return html.Div(
        [
            page_header("/briefing", dict(parse_qsl(request.query())), reference.province_name, lang),
            dcc.Location(id=ids.BRIEFING_LOCATION, refresh=True),
            html.Header(
                [
                    html.A(t("regency_back", lang), href=get_relative_path(f"/?lang={lang}")),
                    html.H1(area_text("briefing_title", lang, reference.province == NATIONAL)),
                ]
            ),
            _controls(request, reference),
            *body,
        ],
        className="ops-page handover-page briefing-page",
        lang=lang,
    )


def _controls(request: BriefingRequest, reference: Reference) -> html.Div:
    lang = request.lang
    regencies = [{"label": r.name, "value": r.code} for r in reference.regencies.values()]
    periods = [{"label": t(f"regency_period_{name}", lang), "value": name} for name in SPANS]
    periods.append({"label": f"{request.first:%d-%m-%Y} – {request.last:%d-%m-%Y}", "value": "range"})
    export = request.query()
    return html.Div(
        [
            html.Label(
                area_text("briefing_pick", lang, reference.province == NATIONAL), htmlFor=ids.BRIEFING_REGENCIES
            ),
            dcc.Dropdown(
                id=ids.BRIEFING_REGENCIES,
                options=regencies,
                value=list(request.codes),
                multi=True,
                closeOnSelect=False,  # several regencies in one opening
                maxHeight=400,
                labels=dropdown_labels(lang),
                className="briefing-regencies",
            ),
            dcc.Dropdown(
                id=ids.BRIEFING_PERIOD,
                options=periods,
                value=request.span,
                clearable=False,
                searchable=False,
                labels=dropdown_labels(lang),
            ),
            dcc.DatePickerRange(
                id=ids.BRIEFING_RANGE,
                start_date=request.first.isoformat(),
                end_date=request.last.isoformat(),
                display_format="DD-MM-YYYY",
                first_day_of_week=1,
            ),
            html.Label(t("briefing_since", lang), htmlFor=ids.BRIEFING_SINCE),
            dcc.DatePickerSingle(
                id=ids.BRIEFING_SINCE, date=request.since.isoformat(), display_format="DD-MM-YYYY", first_day_of_week=1
            ),
            *(
                [
                    html.A(
                        t("briefing_csv", lang),
                        href=get_relative_path(f"/briefing/export.csv?{export}"),
                        className="ops-btn",
                    ),
                    html.A(
                        t("briefing_xlsx", lang),
                        href=get_relative_path(f"/briefing/export.xlsx?{export}"),
                        className="ops-btn",
                    ),
                    html.Button(t("briefing_print", lang), id=ids.BRIEFING_PRINT_BTN, className="ops-btn"),
                ]
                if request.complete
                else []
            ),
        ],
        className="handover-controls briefing-controls",
    )


def _body(briefing: dict[str, Any], request: BriefingRequest, reference: Reference) -> list[Any]:
    lang = request.lang
    now = briefing["now"]
    overview = html.Section(
        [
            html.H2(
                t("briefing_compare_title", lang, start=f"{request.first:%d-%m-%Y}", end=f"{request.last:%d-%m-%Y}")
            ),
            compare_table(now, reference, lang),
        ],
        className="ops-section briefing-overview",
    )
    return [overview, *(regency_sheet(code, briefing, request, reference) for code in request.codes)]
