"""Feed health from the live state: a regency that goes silent is detected and shown as "no data"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from store.contract.events import to_record, validate_event
from store.contract.keys import Keys
from store.contract.reference import load_reference
from store.live.alerts import evaluate
from store.live.feed_health import NO_DATA, FeedMonitor, FeedRules, apply_feed_state
from store.live.state import LiveState

START = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10:00 WIB on a Monday
KEYS = Keys("12")
RULES = FeedRules(sample_every=timedelta(seconds=1))


def kpi(event_id: str, regency: str, at: datetime) -> str:
    event = {
        "event_id": event_id,
        "type": "kpi",
        "metric": "harga_beras",
        "regency_code": regency,
        "value": 12000,
        "ts": at.isoformat(),
    }
    return to_record(validate_event(event, load_reference("12"), at))


def test_a_regency_that_goes_silent_is_marked_no_data_on_the_snapshot(redis_client, reference) -> None:
    live, monitor = LiveState(redis_client, reference), FeedMonitor(redis_client, KEYS, RULES)
    at = START
    for i in range(12):  # both regencies report every two minutes for 24 minutes
        live.apply([kpi(f"a{i}", "12.71", at), kpi(f"b{i}", "12.01", at)], at)
        assert monitor.observe(at)
        at += timedelta(minutes=2)
    for i in range(12, 40):  # then only Medan reports, for 56 more minutes
        live.apply([kpi(f"a{i}", "12.71", at)], at)
        monitor.observe(at)
        at += timedelta(minutes=2)

    codes = list(reference.regencies)
    health = monitor.health(codes, at)
    assert health["12.71"].state == "ok" and health["12.71"].usual_gap_seconds == 120.0
    assert health["12.01"].state == "silent" and health["12.01"].age_seconds > 30 * 60
    assert health["12.02"].state == "silent" and health["12.02"].last_event_at is None  # never heard from

    marked = apply_feed_state(live.snapshot(at), health)
    assert marked["regencies"]["12.71"]["no_data"] is False
    assert marked["regencies"]["12.71"]["kpis"]["harga_beras"]["state"] == "ok"
    silent = marked["regencies"]["12.01"]
    assert silent["no_data"] is True and silent["kpis"]["harga_beras"]["state"] == NO_DATA
    assert "12.01" in marked["totals"]["silent_regencies"] and "12.71" not in marked["totals"]["silent_regencies"]

    alerts = {a.id for a in evaluate(marked, {}, reference, at)}
    assert "feed:12.01" in alerts and "feed:12.02" not in alerts  # only a feed that went silent alerts


def test_late_before_silent_and_sampling_is_shared(redis_client, reference) -> None:
    live, monitor = LiveState(redis_client, reference), FeedMonitor(redis_client, KEYS, RULES)
    at = START
    for i in range(6):
        live.apply([kpi(f"a{i}", "12.71", at)], at)
        monitor.observe(at)
        at += timedelta(seconds=30)
    assert not FeedMonitor(redis_client, KEYS, RULES).observe(at - timedelta(seconds=30))  # same second: skipped
    last = at - timedelta(seconds=30)
    assert monitor.health(["12.71"], last + timedelta(minutes=4))["12.71"].state == "ok"
    assert monitor.health(["12.71"], last + timedelta(minutes=6))["12.71"].state == "late"
    assert monitor.health(["12.71"], last + timedelta(minutes=31))["12.71"].state == "silent"
