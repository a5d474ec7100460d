"""The benchmark workload stays valid under the event schema, so benchmarks measure accepted events."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from bench.harness import percentile
from bench.workload import Workload, national_reference
from store.contract.events import validate_event
from store.contract.reference import Reference


def test_realistic_events_all_validate_and_mix_kinds(reference: Reference) -> None:
    now = datetime.now(UTC)
    events = Workload(reference).events(2_000, now)
    for event in events:
        validate_event(event, reference, now)
    kinds = Counter(e["type"] if e["type"] == "kpi" else e["status"] for e in events)
    assert {"kpi", "received", "verified", "resolved"} <= set(kinds)
    assert len({e["event_id"] for e in events}) < len(events)  # some exact re-sends


def test_settled_state_validates_for_all_514_regencies() -> None:
    reference = national_reference()
    assert len(reference.regencies) == 514
    now = datetime.now(UTC)
    for event in Workload(reference).settled(500, now):
        validate_event(event, reference, now)


def test_percentile_is_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile([7.0], 95) == 7
