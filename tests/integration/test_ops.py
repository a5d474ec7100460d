"""/ops data: dead-letter listing and replay, ingest rate per source, stream groups and heartbeats."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from store.contract.keys import LIVE_GROUP, Keys
from store.pipeline.ops import count_ingest, dead_letters, heartbeats, ingest_rates, ops_status, replay, stream_status
from store.pipeline.streams import dead_letter

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
KEYS = Keys("12")


def kpi_event(**changes) -> dict:
    event = {
        "event_id": "k-1",
        "type": "kpi",
        "metric": "harga_beras",
        "regency_code": "12.71",
        "value": 12500,
        "ts": (NOW - timedelta(minutes=1)).isoformat(),
    }
    return {**event, **changes}


def only_dead_letter(client) -> str:
    [entry] = dead_letters(client, KEYS)
    return entry.id


def test_dead_letters_are_listed_newest_first_in_pages(redis_client) -> None:
    for i in range(5):
        dead_letter(redis_client, KEYS, f'{{"n": {i}}}', f"error {i}", "kominfo")
    first = dead_letters(redis_client, KEYS, count=2)
    assert [e.error for e in first] == ["error 4", "error 3"]
    assert first[0].source == "kominfo" and first[0].raw == '{"n": 4}' and first[0].at
    following = dead_letters(redis_client, KEYS, count=2, before=first[-1].id)
    assert [e.error for e in following] == ["error 2", "error 1"]


def test_replay_of_an_entry_that_now_validates(redis_client, reference) -> None:
    # Rejected earlier (say the regency list was out of date); valid as it stands now.
    dead_letter(redis_client, KEYS, json.dumps(kpi_event()), "regency_code: unknown regency", "bps")
    result = replay(redis_client, KEYS, only_dead_letter(redis_client), None, reference, NOW)
    assert result.ok and result.error is None
    [(stream_id, fields)] = redis_client.xrange(KEYS.events)
    assert stream_id == result.stream_id and json.loads(fields["e"])["event_id"] == "k-1"
    assert dead_letters(redis_client, KEYS) == []


def test_replay_with_a_fix_and_a_failed_replay_changes_nothing(redis_client, reference) -> None:
    bad = json.dumps(kpi_event(metric="harga_emas"))
    dead_letter(redis_client, KEYS, bad, "metric: unknown metric 'harga_emas'", "bps")
    entry_id = only_dead_letter(redis_client)

    failed = replay(redis_client, KEYS, entry_id, None, reference, NOW)
    assert not failed.ok and failed.error == "metric: unknown metric 'harga_emas'"
    still_bad = replay(redis_client, KEYS, entry_id, json.dumps(kpi_event(value="12.500")), reference, NOW)
    assert not still_bad.ok and still_bad.error.startswith("value:")
    not_json = replay(redis_client, KEYS, entry_id, "{metric: harga_beras", reference, NOW)
    assert not not_json.ok and "not valid JSON" in not_json.error
    assert redis_client.xlen(KEYS.events) == 0 and only_dead_letter(redis_client) == entry_id

    fixed = replay(redis_client, KEYS, entry_id, json.dumps(kpi_event()), reference, NOW)
    assert fixed.ok and redis_client.xlen(KEYS.events) == 1 and dead_letters(redis_client, KEYS) == []
    assert not replay(redis_client, KEYS, entry_id, None, reference, NOW).ok  # gone


def test_ingest_rate_per_source(redis_client) -> None:
    count_ingest(redis_client, KEYS, "kominfo", 300, NOW - timedelta(minutes=4))
    count_ingest(redis_client, KEYS, "kominfo", 200, NOW - timedelta(minutes=1))
    count_ingest(redis_client, KEYS, "kominfo", 100, NOW)
    count_ingest(redis_client, KEYS, "bps", 5, NOW)
    count_ingest(redis_client, KEYS, "bps", 0, NOW)
    count_ingest(redis_client, KEYS, "old", 999, NOW - timedelta(minutes=5))  # outside the window
    rates = ingest_rates(redis_client, KEYS, NOW)
    assert rates == {
        "bps": {"per_minute": 1.0, "series": [0, 0, 0, 0, 5]},
        "kominfo": {"per_minute": 120.0, "series": [300, 0, 0, 200, 100]},
    }


def test_stream_groups_lag_pending_and_heartbeats(redis_client) -> None:
    for i in range(5):
        redis_client.xadd(KEYS.events, {"e": f"record {i}"})
    redis_client.xgroup_create(KEYS.events, LIVE_GROUP, id="0")
    redis_client.xreadgroup(LIVE_GROUP, "live-1", {KEYS.events: ">"}, count=2)  # delivered, not acknowledged
    redis_client.hset(KEYS.heartbeats, mapping={"live-1": int(NOW.timestamp()) - 5, "archive-1": 0})

    status = stream_status(redis_client, KEYS, datetime.now(UTC), 1_000_000)
    [group] = status["groups"]
    assert status["length"] == 5
    assert (group["group"], group["pending"], group["lag"], group["consumers"]) == (LIVE_GROUP, 2, 3, 1)
    assert group["oldest_pending_idle_seconds"] is not None and group["behind_seconds"] >= 0

    beats = {h.worker: h for h in heartbeats(redis_client, KEYS, NOW)}
    assert beats["live-1"].alive and beats["live-1"].age_seconds == 5
    assert not beats["archive-1"].alive
    summary = ops_status(redis_client, KEYS, NOW, 1_000_000)
    assert summary["dead_letters"] == 0 and [h["worker"] for h in summary["heartbeats"]] == ["archive-1", "live-1"]
    json.dumps(summary)  # JSON-ready for the page and the API
