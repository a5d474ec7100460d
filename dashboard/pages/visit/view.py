"""The visit pack from the archive: the regency against the province median over 30 days, where its requests wait
(`store.history.handoff`), and its oldest open requests with their stories (`store.history.story`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from dash import html
from sqlalchemy.orm import Session

import store.history.queries as queries
from dashboard.i18n import t
from dashboard.kit.tables import table
from dashboard.pages.briefing.view import FIELDS, PROVINCE_MEDIAN, figure_text
from dashboard.pages.handoff.view import HandoffRequest, analyse, ranking_table, rework_line, waits_table
from dashboard.pages.request.view import facts, stages_table, standing
from store.contract.reference import Reference
from store.history.open_requests import oldest_open
from store.history.periods import period
from store.history.story import request_story

OLDEST = 3  # the stories a pack carries: each is about a page


def load_pack(session: Session, reference: Reference, code: str, today: date, now: datetime) -> dict[str, Any]:
    """Everything the pack shows for the regency `code`, over the 30 days to `today`."""
    first, last = period("30d", today)
    handoff = HandoffRequest(code, "30d", "opd", first, last)
    oldest = oldest_open(session, code, now, OLDEST)
    return {
        "first": first,
        "last": last,
        "comparison": queries.against_the_province(session, [code], list(reference.regencies), first, last),
        "handoff": analyse(session, handoff, now),
        "stories": [request_story(session, code, r["request_id"], now) for r in oldest],
    }


def comparison_table(pack: dict[str, Any], code: str, reference: Reference, lang: str) -> html.Table | html.P:
    own, median = pack["comparison"]["regencies"][code], pack["comparison"][PROVINCE_MEDIAN]
    headers = ["", reference.regencies[code].short_name, t("briefing_province_median", lang)]
    rows = [
        [t(field, lang), figure_text(field, own[field], lang), figure_text(field, median[field], lang)]
        for field in FIELDS
    ]
    return table(headers, rows, t("regency_no_history", lang))


def pack_sections(pack: dict[str, Any], code: str, reference: Reference, lang: str) -> list[Any]:
    """The pack's pages: the comparison and where requests wait, then one story per oldest open request."""
    handoff = pack["handoff"]
    sections: list[Any] = [
        html.Section(
            [html.H2(t("visit_comparison", lang)), comparison_table(pack, code, reference, lang)],
            className="ops-section visit-sheet",
        ),
        html.Section(
            [
                html.H2(t("handoff_ranking", lang)),
                rework_line(handoff["rework"], lang),
                ranking_table(handoff["ranking"], lang),
                html.H2(t("handoff_waits_opd", lang)),
                waits_table(handoff["waits"], "opd", reference, lang),
            ],
            # Seven columns of OPD names and figures: the whole width, never cut at the right.
            className="ops-section visit-sheet ops-wide",
        ),
    ]
    for story in filter(None, pack["stories"]):
        sections.append(
            html.Section(
                [
                    html.H2(t("visit_story", lang, id=story["title"] or story["request_id"])),
                    html.P(t("request_title", lang, id=story["request_id"]), className="request-number"),
                    facts(story, reference, lang),
                    standing(story, lang),
                    stages_table(story["stages"], lang),
                ],
                className="ops-section visit-sheet",
            )
        )
    if not any(pack["stories"]):
        sections.append(html.Section(html.P(t("visit_no_open", lang)), className="ops-section visit-sheet"))
    return sections
