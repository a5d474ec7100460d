"""The request search as a page: the form and the results, each a link to its request's page. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc, html

from dashboard.i18n import category_name, t, tn
from dashboard.i18n.formats import date_time_text, fmt_number
from dashboard.kit.links import request_href
from dashboard.kit.tables import table
from dashboard.pages.request.view import status_text
from dashboard.tenancy import app_path
from store.contract.reference import Reference
from store.history.search import SEARCH_LIMIT

INPUT_ID = "cari-q-input"


def search_form(query: str, lang: str) -> html.Form:
    """A plain GET form: the results are the page's address, so they can be shared and bookmarked."""
    hidden = [dcc.Input(type="hidden", name="lang", value="en")] if lang == "en" else []
    return html.Form(
        [
            html.Label(t("search_label", lang), htmlFor=INPUT_ID),
            dcc.Input(id=INPUT_ID, name="q", type="text", value=query, className="search-input"),
            *hidden,
            html.Button(t("search_button", lang), type="submit", className="ops-btn"),
        ],
        action=app_path("/cari"),
        method="get",
        role="search",
        className="search-form",
    )


def results(rows: Sequence[Mapping[str, Any]], reference: Reference, lang: str) -> list[Any]:
    """How many were found, and the table of them."""
    headers = [
        t(key, lang)
        for key in (
            "regency_request",
            "request_regency",
            "regency_category",
            "regency_opd",
            "request_status",
            "request_received",
        )
    ]
    cells = [
        [
            html.A(r["title"] or r["request_id"], href=request_href(r["regency"], r["request_id"], lang)),
            reference.regencies[r["regency"]].short_name if r["regency"] in reference.regencies else r["regency"],
            category_name(reference, r["category"], lang),
            r["opd"],
            status_text(r["status"], lang),
            date_time_text(r["received_at"]),
        ]
        for r in rows
    ]
    key = "search_found_first" if len(rows) >= SEARCH_LIMIT else "search_found"
    count = tn(key, len(rows), lang, n=fmt_number(len(rows), lang))
    return [html.P(count, role="status"), table(headers, cells, t("search_none", lang))]
