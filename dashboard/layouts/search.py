"""Request search, "/cari?q=...": any request of the province by its id, the words of its title, its OPD or its
category, ranked by the database's full-text search (`store.history.search`)."""

from __future__ import annotations

from typing import Any

import dash
from dash import html
from sqlalchemy.exc import SQLAlchemyError

from dashboard.i18n import DEFAULT_LANG, LANGS, t
from dashboard.kit.breadcrumbs import breadcrumbs
from dashboard.kit.header import page_header
from dashboard.kit.links import wall_href
from dashboard.kit.titles import tab_title
from dashboard.pages.search.view import results, search_form
from dashboard.services import services
from store.contract import clock
from store.history.search import search_requests

dash.register_page(__name__, path="/cari", title=tab_title("tab_search"), name="search")


def layout(q: str = "", lang: str = DEFAULT_LANG, **_query: Any) -> html.Div:
    lang = lang if lang in LANGS else DEFAULT_LANG
    query = q if isinstance(q, str) else ""
    reference = services().live.reference
    found: list[Any] = []
    if query.strip():
        try:
            with services().sessions() as session:
                rows = search_requests(session, reference.province, query, clock.now())
        except SQLAlchemyError as exc:
            found = [html.P(t("regency_unavailable", lang, error=type(exc).__name__), className="ops-result")]
        else:
            found = results(rows, reference, lang)
    home = wall_href(lang)
    return html.Main(
        [
            page_header("/cari", {"q": query} if query else {}, reference.province_name, lang),
            html.Header(
                [
                    breadcrumbs([(t("crumb_wall", lang), home), (t("search_title", lang), None)], lang),
                    html.H1(t("search_title", lang)),
                ]
            ),
            html.Section([search_form(query, lang), *found], className="ops-section"),
        ],
        className="ops-page search-page",
        lang=lang,
    )
