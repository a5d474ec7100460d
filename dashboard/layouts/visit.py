"""The visit pack, "/kunjungan?kab=<regency>": what an official takes on a visit, printable on A4 in the page's
language: the regency against the province over 30 days, where its requests wait, its oldest open requests and
their stories."""

from __future__ import annotations

from typing import Any

import dash
from dash import html
from sqlalchemy.exc import SQLAlchemyError

from dashboard.i18n import DEFAULT_LANG, LANGS, t
from dashboard.i18n.formats import date_time_text
from dashboard.kit import ids
from dashboard.kit.breadcrumbs import breadcrumbs
from dashboard.kit.header import page_header
from dashboard.kit.links import regency_href, wall_href
from dashboard.kit.reports import REPORTS_AT_ONCE, TooManyReports, report_in_session
from dashboard.kit.titles import tab_title
from dashboard.pages.visit.view import load_pack, pack_sections
from dashboard.services import services
from store.contract import clock
from store.contract.calendar import WIB

dash.register_page(__name__, path="/kunjungan", title=tab_title("tab_visit"), name="visit")


def layout(kab: str = "", lang: str = DEFAULT_LANG, **_query: Any) -> html.Main:
    lang = lang if lang in LANGS else DEFAULT_LANG
    reference = services().live.reference
    regency = reference.regencies.get(kab if isinstance(kab, str) else "")
    header = page_header("/kunjungan", {"kab": kab} if regency else {}, reference.province_name, lang)
    if regency is None:
        body: list[Any] = [html.P(t("regency_unknown", lang, code=kab), className="ops-result")]
        return html.Main([header, *body], className="ops-page visit-page", lang=lang)
    now = clock.now()
    try:
        pack = report_in_session(
            services().sessions, load_pack, reference, regency.code, now.astimezone(WIB).date(), now
        )
    except SQLAlchemyError as exc:
        body = [html.P(t("regency_unavailable", lang, error=type(exc).__name__), className="ops-result")]
    except TooManyReports:
        body = [html.P(t("reports_busy", lang, n=REPORTS_AT_ONCE), className="ops-result")]
    else:
        body = pack_sections(pack, regency.code, reference, lang)
    home = wall_href(lang)
    trail = [
        (t("crumb_wall", lang), home),
        (regency.short_name, regency_href(regency.code, lang)),
        (t("visit_crumb", lang), None),
    ]
    return html.Main(
        [
            header,
            html.Header(
                [
                    breadcrumbs(trail, lang),
                    html.H1(t("visit_title", lang, name=regency.name)),
                    html.P(t("visit_made", lang, time=date_time_text(now.isoformat())), className="ops-asof"),
                    html.Button(t("briefing_print", lang), id=ids.VISIT_PRINT_BTN, className="ops-btn"),
                ]
            ),
            *body,
        ],
        className="ops-page visit-page",
        lang=lang,
    )
