"""Where requests wait, "/tunggu?kab=<regency>&period=30d&group=opd": the median and p90 working days in each
stage per OPD, category or regency, the requests that bounced between OPDs or came back after "resolved", and the
OPDs ranked by how long their requests wait against the period before; as CSV and Excel too."""

from __future__ import annotations

from typing import Any

import dash
from dash import html
from sqlalchemy.exc import SQLAlchemyError

from dashboard.i18n import DEFAULT_LANG, LANGS, t
from dashboard.kit.breadcrumbs import breadcrumbs
from dashboard.kit.header import page_header
from dashboard.kit.links import regency_href, wall_href
from dashboard.kit.paging import page_of, pager
from dashboard.kit.reports import REPORTS_AT_ONCE, TooManyReports, report_in_session
from dashboard.kit.titles import tab_title
from dashboard.pages.handoff.view import (
    SPANS,
    analyse,
    handoff_href,
    parse_request,
    ranking_table,
    rework_line,
    waits_table,
)
from dashboard.services import services
from dashboard.tenancy import app_path
from store.contract import clock
from store.contract.calendar import WIB
from store.history.handoff import GROUPS

dash.register_page(__name__, path="/tunggu", title=tab_title("tab_handoff"), name="handoff")


def layout(lang: str = DEFAULT_LANG, **query: Any) -> html.Main:
    lang = lang if lang in LANGS else DEFAULT_LANG
    reference = services().live.reference
    now = clock.now()
    args = {key: value for key, value in query.items() if isinstance(value, str)}
    request = parse_request(args, reference, now.astimezone(WIB).date())
    regency = reference.regencies.get(request.area)
    name = regency.name if regency else reference.province_name
    trail = [(t("crumb_wall", lang), wall_href(lang))]
    if regency:
        trail.append((regency.short_name, regency_href(regency.code, lang)))
    trail.append((t("handoff_crumb", lang), None))
    try:
        analysis = report_in_session(services().sessions, analyse, request, now)
    except SQLAlchemyError as exc:
        body: list[Any] = [html.P(t("regency_unavailable", lang, error=type(exc).__name__), className="ops-result")]
    except TooManyReports:
        body = [html.P(t("reports_busy", lang, n=REPORTS_AT_ONCE), className="ops-result")]
    else:
        # Each table a page at a time (`rpage`, `wpage`): a province's hundreds of OPDs on one page would be metres
        # long; the files hold every row.
        ranking, waits = analysis["ranking"], analysis["waits"]
        pages = {"rpage": page_of(len(ranking), args.get("rpage")), "wpage": page_of(len(waits), args.get("wpage"))}

        def href(key: str) -> Any:
            kept = {other: str(page.number) for other, page in pages.items() if page.count > 1}
            return lambda number: handoff_href(request, lang, **{**kept, key: str(number)})

        ranked, waited = pages["rpage"], pages["wpage"]
        body = [
            html.Section(
                [
                    html.H2(t("handoff_ranking", lang)),
                    ranking_table(ranking.iloc[ranked.first : ranked.last], lang),
                    pager(ranked, href("rpage"), lang),
                ],
                className="ops-section",
            ),
            html.Section(
                [
                    html.H2(t(f"handoff_waits_{request.group}", lang)),
                    waits_table(waits.iloc[waited.first : waited.last], request.group, reference, lang),
                    pager(waited, href("wpage"), lang),
                ],
                className="ops-section",
            ),
        ]
        body.insert(0, html.Section(rework_line(analysis["rework"], lang), className="ops-section"))
    return html.Main(
        [
            page_header("/tunggu", args, reference.province_name, lang),
            html.Header([breadcrumbs(trail, lang), html.H1(t("handoff_title", lang, name=name))]),
            html.Nav(
                _choices(request, lang),
                className="ops-section handoff-choices",
                **{"aria-label": t("handoff_choose", lang)},
            ),
            *body,
        ],
        className="ops-page handoff-page",
        lang=lang,
    )


def _choices(request: Any, lang: str) -> list[Any]:
    """The period and the grouping as links (the current one marked), and the files."""

    def links(key: str, values: tuple[str, ...], label: str) -> html.P:
        items = [
            html.Strong(t(label.format(value), lang), **{"aria-current": "true"})
            if getattr(request, "span" if key == "period" else key) == value
            else html.A(t(label.format(value), lang), href=handoff_href(request, lang, **{key: value}))
            for value in values
        ]
        return html.P([part for item in items for part in (item, " ")])

    query = handoff_href(request, lang).split("?", 1)[1]
    files = html.P(
        [
            html.A(t("handoff_csv", lang), href=app_path(f"/tunggu/export.csv?{query}")),
            " ",
            html.A(t("handoff_xlsx", lang), href=app_path(f"/tunggu/export.xlsx?{query}")),
        ]
    )
    return [links("period", SPANS, "regency_period_{}"), links("group", GROUPS, "handoff_by_{}"), files]
