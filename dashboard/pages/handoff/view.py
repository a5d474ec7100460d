"""Where requests wait, as a page and as files: the query (area, period, grouping), the analysis of
`store.history.handoff` for it, its tables in the page's language, and its DataFrames for CSV and Excel."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from dash import html
from sqlalchemy.orm import Session

from dashboard.i18n import category_name, t
from dashboard.i18n.formats import fmt_number
from dashboard.kit.tables import table
from dashboard.tenancy import app_path
from store.contract.reference import Reference
from store.history.handoff import GROUPS, opd_ranking, period_opd_totals, period_waits, waits
from store.history.periods import period

SPANS = ("7d", "30d", "90d")
DEFAULT_SPAN = "30d"


@dataclass(frozen=True)
class HandoffRequest:
    area: str  # a regency's code, or the province's
    span: str
    group: str
    first: date
    last: date

    @property
    def before(self) -> tuple[date, date]:
        """The period of the same length just before."""
        days = (self.last - self.first).days + 1
        return self.first - timedelta(days=days), self.first - timedelta(days=1)


def parse_request(args: Mapping[str, str], reference: Reference, today: date) -> HandoffRequest:
    """The page's query (`kab`, `period`, `group`); anything unknown falls back to the province, 30 days, OPDs."""
    area = args.get("kab", "")
    area = area if area in reference.regencies else reference.province
    span = args.get("period", DEFAULT_SPAN)
    span = span if span in SPANS else DEFAULT_SPAN
    group = args.get("group", "opd")
    group = group if group in GROUPS else "opd"
    first, last = period(span, today)
    return HandoffRequest(area, span, group, first, last)


def analyse(session: Session, request: HandoffRequest, now: datetime) -> dict[str, Any]:
    """The period's waits, summed up as the page and the files show them."""
    period = period_waits(session, request.area, request.first, request.last, now, request.group)
    before = period_opd_totals(session, request.area, *request.before, now)
    return {"waits": waits(period, request.group), "rework": period.rework, "ranking": opd_ranking(period, before)}


def handoff_href(request: HandoffRequest, lang: str, **change: str) -> str:
    """The page's address with some of its query changed."""
    query = {"kab": request.area, "period": request.span, "group": request.group, **change}
    if "." not in query["kab"]:
        query.pop("kab")
    if lang == "en":
        query["lang"] = "en"
    return app_path("/tunggu?" + "&".join(f"{k}={v}" for k, v in query.items()))


def _days(value: float | None, lang: str) -> str:
    return "–" if value is None or pd.isna(value) else fmt_number(value, lang, 1)


def _group_name(group: str, value: str, reference: Reference, lang: str) -> str:
    if group == "category":
        return category_name(reference, value, lang)
    if group == "regency":
        return reference.regencies[value].short_name if value in reference.regencies else value
    return value


def rework_line(figures: Mapping[str, int], lang: str) -> html.P:
    return html.P(
        t(
            "handoff_rework",
            lang,
            requests=fmt_number(figures["requests"], lang),
            bounced=fmt_number(figures["bounced"], lang),
            reopened=fmt_number(figures["reopened"], lang),
        ),
        role="status",
    )


def ranking_table(ranking: pd.DataFrame, lang: str) -> html.Table | html.P:
    """The OPDs whose requests wait longest first, the stage they wait longest in, and the period before."""
    keys = (
        "regency_opd",
        "handoff_requests",
        "handoff_median_wait",
        "handoff_longest_stage",
        "handoff_before",
        "handoff_change",
    )
    cells = [
        [
            row.opd,
            [fmt_number(row.requests, lang), html.Small(f" ({t('handoff_small_sample', lang)})")]
            if row.small_sample
            else fmt_number(row.requests, lang),
            _days(row.median_wait, lang),
            t(f"status_{row.longest_stage}", lang),
            _days(row.median_before, lang),
            "–" if pd.isna(row.change) else f"{'+' if row.change > 0 else ''}{fmt_number(row.change, lang, 1)}",
        ]
        for row in ranking.itertuples()
    ]
    return table([t(key, lang) for key in keys], cells, t("handoff_none", lang))


def waits_table(waits_frame: pd.DataFrame, group: str, reference: Reference, lang: str) -> html.Table | html.P:
    """Per group and stage, in lifecycle order: requests, median and p90 working days."""
    keys = (f"handoff_group_{group}", "request_stage", "handoff_requests", "handoff_median", "handoff_p90")
    cells = [
        [
            _group_name(group, getattr(row, group), reference, lang),
            t(f"status_{row.stage}", lang),
            fmt_number(row.requests, lang),
            _days(row.median, lang),
            _days(row.p90, lang),
        ]
        for row in waits_frame.itertuples()
    ]
    return table([t(key, lang) for key in keys], cells, t("handoff_none", lang))


def export_frame(analysis: Mapping[str, Any], request: HandoffRequest, reference: Reference, lang: str) -> pd.DataFrame:
    """The waits as a file's table in `lang`, as the page shows them: names, not codes; stages in words; working
    days to one decimal, as the page (read from histograms, they are good to about 9%); the area and period on
    every row."""
    regency = reference.regencies.get(request.area)
    area = regency.name if regency else reference.province_name
    period = [request.first.isoformat(), request.last.isoformat()]
    keys = ("export_area", "export_from", "export_to", f"handoff_group_{request.group}", "request_stage")
    headers = [
        *(t(key, lang) for key in keys),
        *(t(k, lang) for k in ("handoff_requests", "handoff_median", "handoff_p90")),
    ]
    rows = [
        [
            area,
            *period,
            _group_name(request.group, getattr(row, request.group), reference, lang),
            t(f"status_{row.stage}", lang),
            int(row.requests),
            round(float(row.median), 1),
            round(float(row.p90), 1),
        ]
        for row in analysis["waits"].itertuples()
    ]
    return pd.DataFrame(rows, columns=headers)
