"""Where requests wait, from the histograms the archive keeps (`store.history.stage_waits`), checked against
figures worked out directly from the events (the calendar's own `working_days_between`, `statistics`), on SQLite
and, with DATABASE_URL, PostgreSQL; and the histograms against a recomputation from the raw events after any
order of arrival and any batching."""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.contract.calendar import WIB, working_days_between
from store.contract.events import to_record, validate_event
from store.history.db import Base, make_sessionmaker
from store.history.handoff import _closed_stages, opd_ranking, period_opd_totals, period_waits, quantiles, waits
from store.history.models import (
    DailyDuration,
    DailyOpdWait,
    DailyRework,
    DailyRollup,
    DailyStageWait,
    ServiceRequest,
    WeeklyStageWait,
)
from store.history.stage_waits import days_bucket
from tests.integration.test_request_search import EVENTS, NOW, session  # noqa: F401  (the archived fixture)
from workers.archive import archive_batch

WEEK = (date(2026, 11, 21), date(2026, 11, 27))
STATUS_ORDER = ["received", "verified", "dispatched", "in_progress", "resolved", "rejected"]
CLOSE = {"rel": 0.1, "abs": 1e-3}  # a histogram's median or p90 against the exact one (buckets ~9% wide)


def _direct(events: list[dict], now: datetime) -> list[tuple[str, str, str, float]]:
    """(request, stage, OPD, working days) of every stage, from the events alone."""
    out = []
    for (_, request_id), changes in _timelines(events).items():
        for this, after in zip(changes, [*changes[1:], None], strict=True):
            if this["status"] in ("resolved", "rejected"):
                continue
            end = datetime.fromisoformat(after["ts"]) if after else now
            out.append(
                (request_id, this["status"], this["opd"], working_days_between(datetime.fromisoformat(this["ts"]), end))
            )
    return out


def _timelines(events: list[dict]) -> dict[tuple[str, str], list[dict]]:
    """Each request's events in the live order (time, status rank, event_id)."""
    by_request: dict[tuple[str, str], list[dict]] = {}
    for e in events:
        by_request.setdefault((e["regency_code"], e["request_id"]), []).append(e)
    for changes in by_request.values():
        changes.sort(key=lambda e: (datetime.fromisoformat(e["ts"]), STATUS_ORDER.index(e["status"]), e["event_id"]))
    return by_request


def test_each_stage_lands_in_the_bucket_of_its_working_days(session) -> None:  # noqa: F811
    period = period_waits(session, "12", *WEEK, NOW)
    got = Counter()
    for row in period.stages.itertuples():
        got[(row.opd, row.stage, row.bucket)] += row.requests
    want = Counter((opd, stage, days_bucket(days)) for _, stage, opd, days in _direct(EVENTS, NOW))
    assert got == want and sum(want.values()) == 7


def test_medians_and_p90_per_opd_and_stage(session) -> None:  # noqa: F811
    table = waits(period_waits(session, "12", *WEEK, NOW), "opd")
    direct = _direct(EVENTS, NOW)
    for row in table.itertuples():
        days = [d for _, stage, opd, d in direct if opd == row.opd and stage == row.stage]
        assert row.requests == len(days)
        assert row.median == pytest.approx(statistics.median(days), **CLOSE)
        assert row.p90 == pytest.approx(pd.Series(days).quantile(0.9), **CLOSE)
    kesehatan = table[table["opd"] == "Dinas Kesehatan"]
    assert list(kesehatan["stage"]) == ["received"]  # in lifecycle order; two requests of Nias wait there
    assert list(table[table["opd"] == "Dinas PUPR"]["stage"]) == ["received", "verified"]


def test_bounced_and_reopened_requests(session) -> None:  # noqa: F811
    assert period_waits(session, "12", *WEEK, NOW).rework == {"requests": 4, "bounced": 1, "reopened": 1}
    assert period_waits(session, "12.04", *WEEK, NOW).rework == {"requests": 2, "bounced": 0, "reopened": 0}


def test_opds_ranked_by_their_requests_total_wait_against_the_period_before(session) -> None:  # noqa: F811
    now = period_waits(session, "12", *WEEK, NOW)
    before = period_opd_totals(session, "12", WEEK[0] - timedelta(days=7), WEEK[0] - timedelta(days=1), NOW)
    ranking = opd_ranking(now, before)
    direct = _direct(EVENTS, NOW)
    totals: dict[str, dict[str, float]] = {}
    for request_id, _, opd, days in direct:
        totals.setdefault(opd, {}).setdefault(request_id, 0.0)
        totals[opd][request_id] += days
    medians = {opd: statistics.median(per.values()) for opd, per in totals.items()}
    assert dict(zip(ranking["opd"], ranking["median_wait"], strict=True)) == pytest.approx(medians, **CLOSE)
    # Longest first (two waits in one bucket tie, and go by name).
    assert list(ranking["opd"]) == list(ranking.sort_values(["median_wait", "opd"], ascending=[False, True])["opd"])
    assert ranking["opd"].iloc[0] == max(medians, key=medians.get)
    assert ranking["median_before"].isna().all()  # nothing was received the week before


def test_a_histograms_quantiles_interpolate_between_ranks_as_pandas_does() -> None:
    one_day, two_days = days_bucket(1.0), days_bucket(2.0)
    median, p90 = quantiles([one_day, two_days], [1, 1], (0.5, 0.9))
    middle_one, middle_two = (quantiles([b], [1], (0.5,))[0] for b in (one_day, two_days))
    assert median == pytest.approx((middle_one + middle_two) / 2)
    assert p90 == pytest.approx(middle_one + 0.9 * (middle_two - middle_one))
    assert middle_one == pytest.approx(1.0, rel=0.1) and middle_two == pytest.approx(2.0, rel=0.1)


# ---------------------------------------------------------------------------------- the property test

OPDS = ["Dinas PUPR", "Dinas Perhubungan", "Dinas Kesehatan"]
FIRST_DAY = datetime(2026, 10, 29, 8, 0, tzinfo=WIB)  # within intake's 30 days before NOW, across a month's end


@st.composite
def timelines(draw: st.DrawFn) -> list[dict]:
    """A few requests of two regencies, each a run of status changes (any statuses, OPDs moving, reopened after
    "resolved", equal times), over a fortnight with a weekend and working days."""
    events = []
    for n in range(draw(st.integers(1, 4))):
        regency = draw(st.sampled_from(["12.71", "12.04"]))
        category = draw(st.sampled_from(["kesehatan", "jalan_jembatan"]))
        moment = FIRST_DAY + timedelta(minutes=draw(st.integers(0, 6 * 24 * 60)))
        for k in range(draw(st.integers(1, 6))):
            status = "received" if k == 0 else draw(st.sampled_from(STATUS_ORDER))
            event = {
                "event_id": f"e{n}-{k}",
                "type": "service_request",
                "request_id": f"R-{n}",
                "regency_code": regency,
                "status": status,
                "category": draw(st.sampled_from([category, category, "air_bersih"])),
                "channel": "web",
                "opd": draw(st.sampled_from(OPDS)),
                "ts": moment.isoformat(),
            }
            events.append(event)
            moment += timedelta(minutes=draw(st.sampled_from([0, 7, 90, 26 * 60, 2 * 24 * 60 + 5])))
    return events


def _recomputed(events: list[dict]) -> tuple[Counter, Counter, Counter, dict]:
    """The stage tables (each request in its regency and its province) and each open request's `opd_days_before`,
    worked out from the events in one go."""
    stages, totals, rework, before = Counter(), Counter(), Counter(), {}
    for (regency, request_id), changes in _timelines(events).items():
        first = min(changes, key=lambda e: (datetime.fromisoformat(e["ts"]), e["event_id"]))
        day = datetime.fromisoformat(first["ts"]).astimezone(WIB).date()
        category = changes[-1]["category"]  # the request's, from its latest event
        per_opd: dict[str, float] = {}
        waited = False
        for this, after in zip(changes, [*changes[1:], None], strict=True):
            if this["status"] in ("resolved", "rejected"):
                continue
            waited = True
            if after is None:
                break
            days = working_days_between(datetime.fromisoformat(this["ts"]), datetime.fromisoformat(after["ts"]))
            for area in (regency, regency[:2]):
                stages[(area, day, this["opd"], category, this["status"], days_bucket(days))] += 1
            per_opd[this["opd"]] = per_opd.get(this["opd"], 0.0) + days
        last = changes[-1]
        open_ = last["status"] not in ("resolved", "rejected")
        for opd, days in per_opd.items():
            if not (open_ and opd == last["opd"]):
                for area in (regency, regency[:2]):
                    totals[(area, day, opd, days_bucket(days))] += 1
        if open_:
            before[(regency, request_id)] = per_opd.get(last["opd"], 0.0)
        pairs = list(itertools.pairwise(changes))
        for area in (regency, regency[:2]) if waited else ():
            rework[(area, day, "requests")] += 1
            rework[(area, day, "bounced")] += any(a["opd"] != b["opd"] for b, a in pairs)
            rework[(area, day, "reopened")] += any(b["status"] == "resolved" != a["status"] for b, a in pairs)
    return stages, totals, +rework, before


def _archived(db) -> tuple[Counter, Counter, Counter, dict]:
    rows = db.scalars(select(DailyStageWait))
    stages = Counter({(r.area, r.day, r.opd, r.category, r.stage, r.bucket): r.requests for r in rows})
    totals = Counter({(r.area, r.day, r.opd, r.bucket): r.requests for r in db.scalars(select(DailyOpdWait))})
    rework = Counter()
    for r in db.scalars(select(DailyRework)):
        rework.update({(r.area, r.day, "requests"): r.requests, (r.area, r.day, "bounced"): r.bounced})
        rework.update({(r.area, r.day, "reopened"): r.reopened})
    before = {
        (r.regency, r.request_id): r.opd_days_before
        for r in db.scalars(select(ServiceRequest))
        if r.status not in ("resolved", "rejected")
    }
    return +stages, +totals, +rework, before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=timelines(), data=st.data())
def test_the_stage_tables_equal_a_recomputation_after_any_arrival(db_url, reference, events, data) -> None:
    """Events arrive in any order, in any batches, some twice: each batch revises only the requests it touches,
    and the tables always end equal to what the events say in one go."""
    factory = make_sessionmaker(db_url)
    stored = [to_record(validate_event(e, reference, NOW)) for e in events]
    delivered = data.draw(st.permutations(stored + data.draw(st.lists(st.sampled_from(stored), max_size=3))))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(delivered)), max_size=3)))
    try:
        for start, end in zip([0, *cuts], [*cuts, len(delivered)], strict=True):
            with factory.begin() as session:
                archive_batch(session, delivered[start:end], reference)
        with factory.begin() as session:
            stages, totals, rework, before = _archived(session)
            want_stages, want_totals, want_rework, want_before = _recomputed(events)
            assert (stages, totals, rework) == (want_stages, want_totals, want_rework)
            assert before == pytest.approx(want_before)
            # Any period, whole weeks read from the weekly rows and the rest by the day, sums the same stages.
            first, last = sorted(data.draw(st.lists(st.dates(date(2026, 10, 20), date(2026, 11, 30)), min_size=2)))[:2]
            read = _closed_stages(session, "12", first, last, ["opd", "stage", "bucket"])
            want = Counter()
            for (area, day, opd, _, stage, bucket), n in want_stages.items():
                want[(opd, stage, bucket)] += n if area == "12" and first <= day <= last else 0
            assert +Counter({tuple(r[:3]): r[3] for r in read.itertuples(index=False)}) == +want
    finally:
        with factory.begin() as session:
            for table in Base.metadata.sorted_tables:  # a clean slate for the next example
                session.execute(table.delete())
        factory.kw["bind"].dispose()


def _daily(db: Session) -> set[tuple]:
    rollups = {(r.regency, r.day, r.received, r.resolved, r.within_deadline) for r in db.scalars(select(DailyRollup))}
    durations = {(r.regency, r.day, r.bucket, r.resolved) for r in db.scalars(select(DailyDuration))}
    weeks = {
        (r.area, r.week, r.opd, r.category, r.stage, r.bucket, r.requests)
        for r in db.scalars(select(WeeklyStageWait))
        if r.requests
    }
    return rollups | durations | weeks


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def test_the_migration_fills_the_stage_tables_as_the_archive_wrote_them(db_url, reference) -> None:
    """0012 to 0016 on a database with rows: their tables and columns, taken away and made again from the timelines,
    the open requests' rows and the daily tables, equal what the archive kept event by event (SQLite and, with
    DATABASE_URL, PostgreSQL)."""
    from alembic import command

    from store.history.db import alembic_config

    factory = make_sessionmaker(db_url)
    try:
        for start in range(0, len(EVENTS), 3):  # in three batches, as they came
            with factory.begin() as session:
                records = [to_record(validate_event(e, reference, NOW)) for e in EVENTS[start : start + 3]]
                archive_batch(session, records, reference)
        with factory() as session:
            kept = _archived(session)
            period = period_waits(session, "12", *WEEK, NOW)
            daily = _daily(session)
        assert {area for area, *_ in daily} == {"12", "12.71", "12.04"}
        assert kept == _recomputed(EVENTS) and sum(kept[0].values()) == 2 * 4  # MDN-0001's closed stages, twice
        factory.kw["bind"].dispose()
        command.downgrade(alembic_config(db_url), "0011")
        command.upgrade(alembic_config(db_url), "head")
        with factory() as session:
            assert _archived(session) == kept
            assert _daily(session) == daily  # made by 0015 and 0016 as the archive made them
            again = period_waits(session, "12", *WEEK, NOW)  # the open stages too, from the columns 0014 fills
            assert again.rework == period.rework == {"requests": 4, "bounced": 1, "reopened": 1}
            for before, after in ((period.stages, again.stages), (period.opd_totals, again.opd_totals)):
                pd.testing.assert_frame_equal(_sorted(before), _sorted(after))
    finally:
        factory.kw["bind"].dispose()
