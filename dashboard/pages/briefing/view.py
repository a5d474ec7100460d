"""The briefing: 2 to 6 regencies side by side with the province median over a period, the change since a
chosen date, their oldest open requests; the same figures as CSV and Excel. The URL's query string says it all:
`?regencies=12.71,12.04&period=30d&since=2026-11-01&lang=en` (or `period=range&start=...&end=...`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from dash import html
from sqlalchemy.orm import Session

import store.history.queries as queries
from dashboard.i18n import DEFAULT_LANG, LANGS, area_text, category_name, t
from dashboard.i18n.formats import date_time_text, duration_text, fmt_number, pct_text
from dashboard.kit.links import request_href
from dashboard.kit.tables import table
from store.contract.provinces import NATIONAL
from store.contract.reference import Reference
from store.history.open_requests import oldest_open
from store.history.periods import parse_day, period

MIN_REGENCIES, MAX_REGENCIES = 2, 6
DEFAULT_SPAN = "30d"
OLDEST_LIMIT = 8
FIELDS = ("received", "resolved", "within_deadline_pct", "median_resolve_minutes", "mean_resolve_minutes")
PROVINCE_MEDIAN = "province_median"


@dataclass(frozen=True)
class BriefingRequest:
    """What a briefing shows, read from the URL's query string."""

    codes: tuple[str, ...]
    span: str
    first: date
    last: date
    since: date
    lang: str

    @property
    def complete(self) -> bool:
        return MIN_REGENCIES <= len(self.codes) <= MAX_REGENCIES

    @property
    def before(self) -> tuple[date, date]:
        """The period as long as the briefing's, ending on `since`: the change is measured against it."""
        return self.since - (self.last - self.first), self.since

    def query(self) -> str:
        """The query string that reproduces this briefing (without "?")."""
        args = {"regencies": ",".join(self.codes), "period": self.span}
        if self.span == "range":
            args |= {"start": self.first.isoformat(), "end": self.last.isoformat()}
        return urlencode({**args, "since": self.since.isoformat(), "lang": self.lang})


def parse_request(args: Mapping[str, str | None], reference: Reference, today: date) -> BriefingRequest:
    """A briefing from query arguments; unknown codes, languages and malformed dates fall back to defaults."""
    lang = args.get("lang") if args.get("lang") in LANGS else DEFAULT_LANG
    wanted = (args.get("regencies") or "").split(",")
    codes = tuple(dict.fromkeys(c.strip() for c in wanted if c.strip() in reference.regencies))[:MAX_REGENCIES]
    span = args.get("period") or DEFAULT_SPAN
    try:
        start, end = parse_day(args.get("start")), parse_day(args.get("end"))
        first, last = period(span, today, start, end)
    except ValueError:
        span = DEFAULT_SPAN
        first, last = period(span, today)
    since = parse_day(args.get("since"))
    if since is None or since > today:
        since = first - timedelta(days=1)
    return BriefingRequest(codes, span, first, last, since, lang)


def load_briefing(session: Session, among: Sequence[str], request: BriefingRequest, now: datetime) -> dict[str, Any]:
    """The figures of a complete briefing: `now` and `before` (`compare_regencies` of the period and of the
    period ending on `since`, against the median over `among`) and each regency's `oldest` open requests."""
    return {
        "now": queries.compare_regencies(session, request.codes, among, request.first, request.last),
        "before": queries.compare_regencies(session, request.codes, among, *request.before),
        "history_starts": queries.history_starts(session, request.codes),
        "oldest": {code: oldest_open(session, code, now, OLDEST_LIMIT) for code in request.codes},
    }


def compared_among(reference: Reference, served: Sequence[str]) -> list[str]:
    """What the median is taken over: every regency of the province; on the national briefing, every province the
    deployment serves (one it does not serve has no history, and its zeros would pull the median down)."""
    return list(served) if reference.province == NATIONAL else list(reference.regencies)


def export_frame(briefing: Mapping[str, Any], request: BriefingRequest, reference: Reference) -> pd.DataFrame:
    """The briefing as a file's table in its language, as the page shows it: one row per regency, then the
    province median; the figures, their change against the period before (where the archive holds it) and the
    oldest open request; durations in hours."""
    lang = request.lang
    now, before, period = briefing["now"], briefing["before"], [request.first.isoformat(), request.last.isoformat()]
    headers = [
        *(t(key, lang) for key in ("export_code", "export_area", "export_from", "export_to")),
        *(_file_header(field, lang) for field in FIELDS),
        *(t("export_change", lang, figure=_file_header(field, lang, change=True)) for field in FIELDS),
        t("export_oldest_open", lang),
    ]
    rows = []
    for code, figures in now["regencies"].items():
        compared = _compared(briefing, code, request)
        earlier = before["regencies"][code]
        changes = [
            _file_value(f, figures[f] - earlier[f]) if compared and None not in (figures[f], earlier[f]) else None
            for f in FIELDS
        ]
        oldest = briefing["oldest"][code]
        received = date_time_text(oldest[0]["received_at"]) if oldest else None
        values = [_file_value(f, figures[f]) for f in FIELDS]
        rows.append([code, reference.regencies[code].name, *period, *values, *changes, received])
    median = now[PROVINCE_MEDIAN]
    median_name = area_text("briefing_province_median", lang, reference.province == NATIONAL)
    blanks = [None] * (len(FIELDS) + 1)
    rows.append(["", median_name, *period, *(_file_value(f, median[f]) for f in FIELDS), *blanks])
    # Kept as objects: a count stays an integer beside the median, which may have a half.
    return pd.DataFrame(rows, columns=headers, dtype=object)


def _compared(briefing: Mapping[str, Any], code: str, request: BriefingRequest) -> bool:
    """Whether the archive holds `code`'s period before: no change is shown against one it does not hold (its
    zeros would read as real figures)."""
    start = briefing["history_starts"].get(code)
    return start is not None and start <= request.before[0]


def _file_header(field: str, lang: str, change: bool = False) -> str:
    if field.endswith("_minutes"):
        return t("export_hours", lang, figure=t(field, lang))
    if field == "within_deadline_pct":
        return t("export_points" if change else "export_pct", lang, figure=t(field, lang))
    return t(field, lang)


def _file_value(field: str, value: float | None) -> float | None:
    """A figure in the unit its header names: hours to one decimal for durations, a share to one decimal."""
    if value is None:
        return None
    if field.endswith("_minutes"):
        return round(value / 60, 1)
    return round(value, 1) if field == "within_deadline_pct" else value


def figure_text(field: str, value: float | None, lang: str) -> str:
    if field == "within_deadline_pct":
        return pct_text(value, lang)
    if field.endswith("_minutes"):
        return duration_text(value, lang)
    return fmt_number(value, lang)


def _change_text(field: str, now: float | None, before: float | None, lang: str) -> str:
    if now is None or before is None:
        return "–"
    change = now - before
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    if field == "within_deadline_pct":
        return f"{sign}{fmt_number(abs(change), lang, 1)} pp"
    return sign + figure_text(field, abs(change), lang)


def compare_table(comparison: Mapping[str, Any], reference: Reference, lang: str) -> html.Table | html.P:
    """Figures as rows, the regencies and the province median as columns."""
    codes = list(comparison["regencies"])
    headers = [t("briefing_figure", lang), *(reference.regencies[c].name for c in codes)]
    headers.append(area_text("briefing_province_median", lang, reference.province == NATIONAL))
    cells = [
        [
            t(field, lang),
            *(figure_text(field, comparison["regencies"][c][field], lang) for c in codes),
            figure_text(field, comparison[PROVINCE_MEDIAN][field], lang),
        ]
        for field in FIELDS
    ]
    return table(headers, cells, t("regency_no_history", lang))


def regency_sheet(code: str, briefing: Mapping[str, Any], request: BriefingRequest, reference: Reference) -> html.Div:
    """One printed A4 page: the regency against the province median, the change since `since`, and its oldest
    open requests."""
    lang = request.lang
    now, before = briefing["now"], briefing["before"]
    own, own_before = now["regencies"][code], before["regencies"][code]
    first, last = request.before
    history_start, compared = briefing["history_starts"].get(code), _compared(briefing, code, request)
    headers = [
        t("briefing_figure", lang),
        reference.regencies[code].name,
        area_text("briefing_province_median", lang, reference.province == NATIONAL),
        t("briefing_change", lang, date=_day_text(request.since)),
    ]
    cells = [
        [
            t(field, lang),
            figure_text(field, own[field], lang),
            figure_text(field, now[PROVINCE_MEDIAN][field], lang),
            _change_text(field, own[field], own_before[field], lang) if compared else "–",
        ]
        for field in FIELDS
    ]
    before_note = (
        t("briefing_before", lang, start=_day_text(first), end=_day_text(last))
        if compared
        else t(
            "briefing_before_missing",
            lang,
            start=_day_text(first),
            end=_day_text(last),
            since=_day_text(history_start) if history_start else "–",
        )
    )
    oldest = [
        [
            html.A(r["title"] or r["request_id"], href=request_href(r["regency"], r["request_id"], lang)),
            category_name(reference, r["category"], lang),
            r["opd"],
            date_time_text(r["received_at"]),
            date_time_text(r["due_at"]),
        ]
        for r in briefing["oldest"][code]
    ]
    oldest_headers = [
        t(k, lang)
        for k in ("regency_request", "regency_category", "regency_opd", "briefing_received_at", "regency_due")
    ]
    return html.Div(
        [
            html.H2(
                area_text(
                    "briefing_vs_title",
                    lang,
                    reference.province == NATIONAL,
                    name=reference.regencies[code].name,
                    start=_day_text(request.first),
                    end=_day_text(request.last),
                )
            ),
            table(headers, cells, t("regency_no_history", lang)),
            html.P(before_note, className="handover-period"),
            html.H3(t("briefing_oldest_title", lang)),
            table(oldest_headers, oldest, t("regency_no_history", lang)),
        ],
        className="ops-section briefing-sheet",
        **{"data-code": code},
    )


def _day_text(day: date) -> str:
    return day.strftime("%d-%m-%Y")
