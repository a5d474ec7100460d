"""The shift handover digest (`store.history.shifts.digest`) as a printable page: pure, data in, components out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from dash import html

from dashboard.i18n import t
from dashboard.i18n.formats import fmt_number
from dashboard.kit.alerts import alert_text
from dashboard.kit.severity import SEVERITY_ICONS
from dashboard.kit.tables import table
from store.contract.calendar import WIB
from store.contract.events import STATUS_RANK
from store.contract.reference import Reference
from store.contract.shifts import Shift
from store.history.shifts import current_shift
from store.live.alerts import Alert

CURRENT = "current"
PREVIOUS = "previous"
TOTALS = ("new", "resolved", "became_overdue", "overdue_now", "acknowledged")


def chosen_shift(choice: str, now: datetime, shifts: Sequence[Shift]) -> tuple[datetime, datetime, str]:
    """(start, end, name) of the shift under way, or of the one before it; the digest runs to min(end, now)."""
    start, end, name = current_shift(now, shifts)
    if choice == PREVIOUS:
        return current_shift(start - timedelta(minutes=1), shifts)
    return start, end, name


def _acknowledged_text(entry: Mapping[str, Any], reference: Reference, lang: str) -> str:
    """The acknowledged alert's sentence; an entry logged without it (before the log kept whole alerts) is named
    by its regency."""
    if entry.get("message_key"):
        return alert_text(Alert.from_dict(entry), reference, lang)
    regency = reference.regencies.get(entry["regency"])
    return regency.name if regency else reference.province_name


def _when(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(WIB).strftime("%d-%m-%Y %H:%M")


def digest_page(
    digest: Mapping[str, Any], shift_name: str, province: str, reference: Reference, lang: str
) -> list[Any]:
    """Title, period, totals, stage changes, per-regency table and acknowledged alerts."""
    n = lambda value: fmt_number(value, lang)  # noqa: E731
    totals = digest["totals"]
    period = t(
        "handover_period",
        lang,
        name=t("shift", lang, name=shift_name),
        since=_when(digest["since"]),
        until=_when(digest["until"]),
    )
    figures = [
        html.Div(
            [html.Div(n(totals[key]), className="handover-value"), html.Div(t(f"handover_{key}", lang))],
            className="handover-total",
        )
        for key in TOTALS
    ]
    by_lifecycle = sorted(digest["stage_changes"].items(), key=lambda item: STATUS_RANK.get(item[0], len(STATUS_RANK)))
    stages = [[t(f"status_{status}", lang), n(count)] for status, count in by_lifecycle]
    regencies = [
        [reference.regencies[code].name if code in reference.regencies else code, *(n(row[key]) for key in TOTALS[:4])]
        for code, row in digest["regencies"].items()
    ]
    acks = [
        [
            f"{SEVERITY_ICONS.get(a['severity'], '')} {t('severity_' + a['severity'], lang)}",
            _acknowledged_text(a, reference, lang),
            a["by"],
            _when(a["at"]),
        ]
        for a in digest["acknowledged"]
    ]
    none = t("ops_none", lang)
    return [
        html.H1(f"{t('handover_title', lang)} · {province}"),
        html.P(period, className="handover-period"),
        html.Div(figures, className="handover-totals"),
        html.H2(t("handover_stages", lang)),
        table(["", ""], stages, none),
        html.H2(t("handover_by_regency", lang)),
        table([t("ops_regency", lang), *(t(f"handover_{key}", lang) for key in TOTALS[:4])], regencies, none),
        html.H2(t("handover_acks_title", lang)),
        table(["", "", t("ops_worker", lang), t("ops_time", lang)], acks, none),
    ]
