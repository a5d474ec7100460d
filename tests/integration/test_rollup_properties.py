"""Any sequence of valid events, in any order, split into any batches, with duplicates, gives the same figures."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.contract.events import STATUSES, to_record, validate_event
from store.live.state import LiveState
from tests.support.oracle import comparable, expected_figures

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)  # 13:00 WIB on a Friday
REGENCIES = ["12.71", "12.04", "12.12"]
CATEGORIES = ["kesehatan", "jalan_jembatan", "sampah_kebersihan"]


@st.composite
def request_histories(draw: st.DrawFn) -> list[dict]:
    events = []
    for n in range(draw(st.integers(1, 6))):
        start = NOW - timedelta(minutes=draw(st.integers(0, 60 * 24 * 20)))
        steps = draw(st.lists(st.sampled_from(STATUSES), min_size=1, max_size=4))
        regency = draw(st.sampled_from(REGENCIES))
        # Histories may share a request_id: in one regency they are one request, in two they are two.
        request_id = f"req-{draw(st.integers(0, n))}"
        explicit = draw(st.one_of(st.none(), st.integers(-3000, 3000)))
        for i, status in enumerate(steps):
            ts = min(start + timedelta(minutes=i * draw(st.integers(0, 900))), NOW)
            event = {
                "event_id": f"r{n}-e{i}",
                "type": "service_request",
                "request_id": request_id,
                "regency_code": regency,
                "status": status,
                "category": draw(st.sampled_from(CATEGORIES)),
                "channel": draw(st.sampled_from(["web", "sms"])),
                "opd": draw(st.sampled_from(["Dinas A", "Dinas B"])),
                "ts": ts.isoformat(),
            }
            if explicit is not None and i == 0:
                event["sla_due"] = (start + timedelta(minutes=explicit)).isoformat()
            events.append(event)
    return events


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=request_histories(), data=st.data())
def test_any_order_and_duplicates_give_the_oracle_figures(redis_client, reference, events, data) -> None:
    redis_client.flushdb()
    records = [to_record(validate_event(e, reference, NOW)) for e in events]
    stored = [json.loads(r) for r in records]
    delivered = data.draw(st.permutations(records + data.draw(st.lists(st.sampled_from(records), max_size=5))))
    live = LiveState(redis_client, reference)
    cut = data.draw(st.integers(0, len(delivered)))
    live.apply(delivered[:cut], NOW)
    live.apply(delivered[cut:], NOW)

    snapshot = live.snapshot(NOW)
    expected = expected_figures(stored, NOW, reference)
    for code in REGENCIES:
        assert comparable(snapshot["regencies"][code]) == expected[code], code
