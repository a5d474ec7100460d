"""The wall's panel of deadline notices, in the room's language: how many escalations await acknowledgement (and
how many of them the command centre itself), the deadlines passed, the deliveries not through, and the OPDs
with the most awaiting. Pure functions over the standing the cycle carries (`store.contract.notice_standing`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dashboard.i18n import area_text
from dashboard.i18n.formats import fmt_number, fmt_time_wib
from store.contract.notice_standing import NoticeStanding


def notices_part(standing: NoticeStanding | None, now: datetime, lang: str, national: bool) -> dict[str, Any] | None:
    """The panel's content at `now` (the cycle's time); None when no one has counted the notices yet. On the
    national wall (`national`) the rows are provinces and "the command centre" is each province's."""
    if standing is None:
        return None
    fresh = standing.is_fresh(now)
    figures = [
        ("wall_notices_awaiting", standing.awaiting, False),
        ("wall_notices_at_top", standing.at_top, True),
        ("wall_notices_breached", standing.breached, True),
        ("wall_notices_pending", standing.pending + standing.failed, standing.failed > 0),
    ]
    rows = [opd for opd in standing.opds if opd.awaiting]
    return {
        "figures": [
            {"label": area_text(key, lang, national), "text": fmt_number(count, lang), "late": late and count > 0}
            for key, count, late in figures
        ],
        # Each OPD with the escalations awaiting its response, in the late colour when a deadline of its passed.
        "rows": [
            {"name": opd.opd, "text": fmt_number(opd.awaiting, lang), "state": "red" if opd.breached else "amber"}
            for opd in rows
        ],
        "rows_total": standing.opds_waiting,
        # The count's time only once it is stale: a fresh count renewed each pass then pushes nothing new.
        "as_of_text": "" if fresh else fmt_time_wib(standing.as_of.isoformat()),
        "stale": not fresh,
    }
