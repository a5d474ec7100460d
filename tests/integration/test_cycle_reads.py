"""A cycle that reads again only what may have moved (`CycleRunner`: the regencies events touched, those whose
deadline passed, the current hour) shows the same figures as one that reads every regency, on a real Redis with a
realistic feed and a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import redis

from bench.workload import Workload
from store.contract.events import to_record, validate_event
from store.live.cycle import Cycle, CycleRunner
from store.live.state import LiveState, Touched

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10:00 WIB on a Tuesday


def _shown(cycle: Cycle) -> dict[str, Any]:
    """A cycle's figures, without the feeds' health (sampled by each runner on its own turn)."""
    regencies = {code: {k: v for k, v in f.items() if k != "feed"} for code, f in cycle.snapshot["regencies"].items()}
    return {"totals": cycle.snapshot["totals"], "regencies": regencies, "hourly": cycle.hourly}


def _read_afresh(live: LiveState, now: datetime) -> dict[str, Any]:
    return _shown(CycleRunner(live).run(now))


def _feed(reference, count: int, now: datetime, seed: int) -> list[str]:
    events = Workload(reference, seed=seed).events(count, now)
    return [to_record(validate_event(event, reference, now)) for event in events]


def _with_deadline(reference, due: datetime) -> str:
    """A request in Medan received at NOW with its own deadline (`sla_due`) at `due`, not at a day's end."""
    event = {
        "event_id": "due-1",
        "type": "service_request",
        "request_id": "due-1",
        "regency_code": "12.71",
        "status": "received",
        "category": "kesehatan",
        "channel": "app",
        "opd": "Dinas Kesehatan Kota Medan",
        "ts": NOW.isoformat(),
        "sla_due": due.isoformat(),
    }
    return to_record(validate_event(event, reference, NOW))


def test_touched_regencies_and_passed_deadlines_are_read_again(redis_client: redis.Redis, reference) -> None:
    live = LiveState(redis_client, reference)
    before, after = NOW + timedelta(minutes=30, seconds=20), NOW + timedelta(minutes=30, seconds=40)
    live.apply([*_feed(reference, 600, NOW, seed=1), _with_deadline(reference, before + timedelta(seconds=10))], NOW)
    assert _read_afresh(live, before)["totals"]["overdue"] < _read_afresh(live, after)["totals"]["overdue"]
    runner = CycleRunner(live)
    runner.run(before)  # the first run reads every regency

    # A deadline passes within the minute, with no event: its regency is read again, its overdue count moves.
    assert _shown(runner.run(after, operations=True, touched=Touched())) == _read_afresh(live, after)

    # Events touch some regencies and hours (late events count in earlier hours): those are read again.
    _, touched = live.apply_noting(_feed(reference, 40, after, seed=2), after)
    assert 0 < len(touched.regencies) < len(reference.regencies) and touched.hours
    assert _shown(runner.run(after, operations=True, touched=touched)) == _read_afresh(live, after)

    # Without the regencies it touched, the runner would show the figures of before: the test can fail.
    live.apply_noting(_feed(reference, 40, after, seed=3), after)
    assert _shown(runner.run(after, operations=True, touched=Touched())) != _read_afresh(live, after)


@pytest.mark.parametrize("step", [timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)])
def test_a_new_minute_hour_or_day_reads_every_regency(redis_client: redis.Redis, reference, step) -> None:
    live = LiveState(redis_client, reference)
    live.apply(_feed(reference, 600, NOW, seed=1), NOW)
    runner = CycleRunner(live)
    runner.run(NOW)
    later = NOW + step
    assert _shown(runner.run(later, operations=True, touched=Touched())) == _read_afresh(live, later)
