"""The wall's panel of deadline notices, in the room's language: how many escalations await acknowledgement (and
how many of them the command centre itself), the deadlines passed, the deliveries not through, and the OPDs
with the most awaiting. Pure functions over the standing the cycle carries (`store.contract.notice_standing`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dashboard.i18n import t
from dashboard.i18n.formats import fmt_number, fmt_time_wib
from store.contract.notice_standing import NoticeStanding, OpdStanding


def notices_part(standing: NoticeStanding | None, now: datetime, lang: str) -> dict[str, Any] | None:
    """The panel's content at `now` (the cycle's time); None when no one has counted the notices yet."""
    if standing is None:
        return None
    figures = [
        ("wall_notices_awaiting", standing.awaiting, False),
        ("wall_notices_at_top", standing.at_top, True),
        ("wall_notices_breached", standing.breached, True),
        ("wall_notices_pending", standing.pending + standing.failed, standing.failed > 0),
    ]
    rows = [opd for opd in standing.opds if opd.awaiting or opd.breached]
    return {
        "figures": [
            {"label": t(key, lang), "text": fmt_number(count, lang), "late": late and count > 0}
            for key, count, late in figures
        ],
        "rows": [{"name": opd.opd, "text": _opd_text(opd, lang), "state": _opd_state(opd)} for opd in rows],
        "rows_total": standing.opds_waiting,
        "as_of_text": fmt_time_wib(standing.as_of.isoformat()),
        "stale": not standing.is_fresh(now),
    }


def _opd_text(opd: OpdStanding, lang: str) -> str:
    """The OPD's counts that are not zero: "2 menunggu tanggapan · 1 lewat tenggat"."""
    counts = (
        ("wall_notices_opd_awaiting", opd.awaiting),
        ("wall_notices_opd_breached", opd.breached),
        ("wall_notices_opd_pending", opd.pending),
    )
    return " · ".join(t(key, lang, n=fmt_number(n, lang)) for key, n in counts if n)


def _opd_state(opd: OpdStanding) -> str:
    """Red: a deadline of its passed, unacknowledged; else amber: something awaits it."""
    return "red" if opd.breached else "amber"
