"""What the tracking page shows of a request: its status and stage, the agency working on it, its working-day
deadline and standing, and its last update in WIB. Never anything personal; the title only screened, and only where
the province publishes titles (`OPEN311_TITLES`). Pure: row in, texts out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dashboard.i18n import category_name, t
from dashboard.i18n.formats import date_time_text, fmt_number
from store.contract.calendar import iso_wib, working_days_between
from store.contract.events import STATUSES, TERMINAL
from store.contract.reference import Reference
from store.contract.screening import screened
from store.history.models import ServiceRequest

STEPS = STATUSES[:5]  # the path a request takes; "rejected" ends it instead of "resolved"


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # "done", "now" or "later"


@dataclass(frozen=True)
class Tracked:
    """A request as the page shows it."""

    number: str
    status: str
    steps: list[Step]
    facts: list[tuple[str, str]]  # (label, value), in reading order
    standing: str
    late: bool
    title: str | None


def tracked(row: ServiceRequest, number: str, reference: Reference, titles: str, lang: str, now: datetime) -> Tracked:
    """The page's view of `row` (`titles`: "omit" or "screened", as `OPEN311_TITLES`)."""
    late, standing = _standing(row, lang, now)
    return Tracked(
        number=number,
        status=t(f"status_{row.status}", lang),
        steps=_steps(row.status, lang),
        facts=[
            (t("track_regency", lang), reference.regencies[row.regency].name),
            (t("track_category", lang), category_name(reference, row.category, lang)),
            (t("track_opd", lang), row.opd),
            (t("track_received", lang), _wib(row.received_at)),
            (t("track_due", lang), _wib(row.due_at)),
            (t("track_updated", lang), _wib(row.status_at)),
        ],
        standing=standing,
        late=late,
        title=screened(row.title) if titles == "screened" else None,
    )


def _wib(moment: datetime) -> str:
    return f"{date_time_text(iso_wib(moment))} WIB"


def _steps(status: str, lang: str) -> list[Step]:
    if status == "rejected":
        return [Step(t("status_received", lang), "done"), Step(t("status_rejected", lang), "now")]
    reached = STEPS.index(status)
    return [
        Step(t(f"status_{step}", lang), "done" if i < reached else "now" if i == reached else "later")
        for i, step in enumerate(STEPS)
    ]


def _standing(row: ServiceRequest, lang: str, now: datetime) -> tuple[bool, str]:
    """Whether it is (or was finished) late, and that in words, in working days."""
    if row.status in TERMINAL:
        if row.status == "rejected":
            return False, t("track_rejected", lang)
        if row.within_deadline:
            return False, t("track_resolved_on_time", lang)
        late = working_days_between(row.due_at, row.status_at)
        return True, t("track_resolved_late", lang, days=fmt_number(late, lang, 1))
    if row.due_at < now:
        return True, t("track_late", lang, days=fmt_number(working_days_between(row.due_at, now), lang, 1))
    return False, t("track_on_time", lang, days=fmt_number(working_days_between(now, row.due_at), lang, 1))
