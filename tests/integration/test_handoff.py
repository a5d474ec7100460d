"""Where requests wait, with pandas, checked against figures worked out directly from the events (the calendar's
own `working_days_between`, `statistics`), on SQLite and, with DATABASE_URL, PostgreSQL."""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.contract.calendar import WIB, working_days_between
from store.history.handoff import opd_ranking, rework, stage_times, waits, working_days
from tests.integration.test_request_search import EVENTS, NOW, session  # noqa: F401  (the archived fixture)

WEEK = (date(2026, 11, 21), date(2026, 11, 27))


def _direct(events: list[dict], now: datetime) -> list[tuple[str, str, str, float]]:
    """(request, stage, OPD, working days) of every stage, from the events alone."""
    rank = ["received", "verified", "dispatched", "in_progress", "resolved", "rejected"]
    out = []
    by_request: dict[tuple[str, str], list[dict]] = {}
    for e in events:
        by_request.setdefault((e["regency_code"], e["request_id"]), []).append(e)
    for (_, request_id), changes in by_request.items():
        changes.sort(key=lambda e: (datetime.fromisoformat(e["ts"]), rank.index(e["status"])))
        for this, after in zip(changes, [*changes[1:], None], strict=True):
            if this["status"] in ("resolved", "rejected"):
                continue
            end = datetime.fromisoformat(after["ts"]) if after else now
            out.append(
                (request_id, this["status"], this["opd"], working_days_between(datetime.fromisoformat(this["ts"]), end))
            )
    return out


def test_each_stage_s_working_days_match_the_calendar(session) -> None:  # noqa: F811
    stages = stage_times(session, "12", *WEEK, NOW)
    got = sorted((r.request_id, r.stage, r.opd, round(r.working_days, 6)) for r in stages.itertuples())
    want = sorted((rid, stage, opd, round(days, 6)) for rid, stage, opd, days in _direct(EVENTS, NOW))
    assert got == want and len(got) == 7


def test_medians_and_p90_per_opd_and_stage(session) -> None:  # noqa: F811
    stages = stage_times(session, "12", *WEEK, NOW)
    table = waits(stages, "opd")
    direct = _direct(EVENTS, NOW)
    for row in table.itertuples():
        days = [d for _, stage, opd, d in direct if opd == row.opd and stage == row.stage]
        assert row.requests == len(days)
        assert row.median == pytest.approx(statistics.median(days))
        assert row.p90 == pytest.approx(pd.Series(days).quantile(0.9))
    kesehatan = table[table["opd"] == "Dinas Kesehatan"]
    assert list(kesehatan["stage"]) == ["received"]  # in lifecycle order; two requests of Nias wait there
    assert list(table[table["opd"] == "Dinas PUPR"]["stage"]) == ["received", "verified"]


def test_bounced_and_reopened_requests(session) -> None:  # noqa: F811
    assert rework(stage_times(session, "12", *WEEK, NOW)) == {"requests": 4, "bounced": 1, "reopened": 1}
    assert rework(stage_times(session, "12.04", *WEEK, NOW)) == {"requests": 2, "bounced": 0, "reopened": 0}


def test_opds_ranked_by_their_requests_total_wait_against_the_period_before(session) -> None:  # noqa: F811
    now = stage_times(session, "12", *WEEK, NOW)
    before = stage_times(session, "12", WEEK[0] - timedelta(days=7), WEEK[0] - timedelta(days=1), NOW)
    ranking = opd_ranking(now, before)
    direct = _direct(EVENTS, NOW)
    totals: dict[str, dict[str, float]] = {}
    for request_id, _, opd, days in direct:
        totals.setdefault(opd, {}).setdefault(request_id, 0.0)
        totals[opd][request_id] += days
    medians = {opd: statistics.median(per.values()) for opd, per in totals.items()}
    assert list(ranking["opd"]) == sorted(medians, key=lambda opd: (-medians[opd], opd))
    assert dict(zip(ranking["opd"], ranking["median_wait"], strict=True)) == pytest.approx(medians)
    assert ranking["median_before"].isna().all()  # nothing was received the week before


MOMENT = st.datetimes(min_value=datetime(2025, 12, 1), max_value=datetime(2027, 1, 31)).map(
    lambda d: d.replace(tzinfo=WIB)
)


@settings(max_examples=200, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(MOMENT, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40))), min_size=1, max_size=20
    )
)
def test_whole_columns_count_as_the_calendar_does(pairs) -> None:
    starts = pd.Series([s for s, _ in pairs]).dt.tz_convert(WIB)
    ends = pd.Series([s + span for s, span in pairs]).dt.tz_convert(WIB)
    expected = [working_days_between(s, s + span) for s, span in pairs]
    assert list(working_days(starts, ends)) == pytest.approx(expected, abs=1e-9)
