"""Alerts in Redis: the learned backlog baseline, first-fired times, and acknowledgements every process sees."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from store.contract.keys import Keys
from store.live.alerts import AlertBook, BacklogBaseline, evaluate
from store.servers.redis_clients import connect

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
KEYS = Keys("12")
EVERY = timedelta(minutes=15)


def snapshot(open_by_regency: dict[str, int], overdue: int = 0) -> dict:
    return {
        "totals": {"overdue": overdue},
        "regencies": {code: {"open": n, "overdue": overdue, "kpis": {}} for code, n in open_by_regency.items()},
    }


def test_backlog_baseline_learns_at_most_once_per_interval_and_then_triggers(redis_client, reference) -> None:
    baseline = BacklogBaseline(redis_client, KEYS, alpha=0.1, every=EVERY)
    at = NOW
    for i in range(40):
        assert baseline.update(snapshot({"12.71": 20 + (i % 3) - 1, "12.01": 5}), at)
        assert not baseline.update(snapshot({"12.71": 500}), at + EVERY / 2)  # too soon: ignored
        at += EVERY
    learned = baseline.load()["12.71"]
    assert learned.n == 40 and 19 < learned.mean < 21 and learned.sd < 2
    assert evaluate(snapshot({"12.71": 24, "12.01": 5}), baseline.load(), reference, at) == []
    [alert] = evaluate(snapshot({"12.71": 45, "12.01": 5}), baseline.load(), reference, at)
    assert alert.id == "backlog:12.71" and alert.params["open"] == 45


def test_a_silent_regency_does_not_teach_the_baseline(redis_client) -> None:
    baseline = BacklogBaseline(redis_client, KEYS, every=EVERY)
    snap = snapshot({"12.71": 20})
    snap["regencies"]["12.71"]["no_data"] = True
    baseline.update(snap, NOW)
    assert baseline.load() == {}


def test_an_acknowledgement_is_seen_by_another_client_and_cleared_with_the_alert(
    redis_client, redis_url, reference
) -> None:
    second = connect(redis_url)  # another app process
    operator, wall = AlertBook(redis_client, KEYS), AlertBook(second, KEYS)
    listener = connect(redis_url).pubsub(ignore_subscribe_messages=True)
    listener.subscribe(KEYS.alerts_channel)

    late = snapshot({"12.71": 10}, overdue=6)
    [first] = operator.refresh(evaluate(late, {}, reference, NOW), NOW)
    assert first.id == "overdue:12.71" and first.since == NOW and first.acknowledged_by is None

    later = NOW + timedelta(minutes=5)
    acked = operator.ack("overdue:12.71", "budi", later)
    assert acked is not None and acked.acknowledged_by == "budi"
    [seen] = wall.active()
    assert (seen.acknowledged_by, seen.acknowledged_at, seen.since) == ("budi", later, NOW)
    assert not seen.sound
    messages = [listener.get_message(timeout=0.5) for _ in range(4)]
    assert any(m and json.loads(m["data"])["reason"] == "ack" for m in messages)

    # Still firing: the acknowledgement and the first time stay.
    [again] = wall.refresh(evaluate(late, {}, reference, later), later)
    assert again.acknowledged_by == "budi" and again.since == NOW

    # Cleared: it goes, with its acknowledgement; firing again needs a new one.
    assert wall.refresh(evaluate(snapshot({"12.71": 10}), {}, reference, later), later) == []
    assert operator.active() == []
    [fresh] = operator.refresh(evaluate(late, {}, reference, later + EVERY), later + EVERY)
    assert fresh.acknowledged_by is None and fresh.since == later + EVERY
    assert operator.ack("overdue:12.99", "budi", later) is None

    log = operator.acknowledged_between(NOW, later + EVERY)
    assert [(e["id"], e["by"], e["severity"]) for e in log] == [("overdue:12.71", "budi", "critical")]
    assert operator.acknowledged_between(later + timedelta(seconds=1), later + EVERY) == []
    listener.close()
    second.close()


def test_what_waits_for_someone_comes_before_what_was_acknowledged(redis_client, reference) -> None:
    """The wall's headline is never an acknowledged alert while another waits: after Medan's critical alert is
    acknowledged, Nias's waiting one heads the list, in `refresh` (the live cycle's) and `active` (the pages')."""
    book = AlertBook(redis_client, KEYS)
    late = snapshot({"12.71": 10, "12.04": 10}, overdue=6)
    alerts = book.refresh(evaluate(late, {}, reference, NOW), NOW)
    assert [a.id for a in alerts] == ["overdue:12.04", "overdue:12.71"]  # equally severe: by id
    book.ack("overdue:12.04", "budi", NOW)
    expected = ["overdue:12.71", "overdue:12.04"]
    assert [a.id for a in book.refresh(evaluate(late, {}, reference, NOW), NOW)] == expected
    assert [a.id for a in book.active()] == expected
