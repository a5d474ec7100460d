"""The rollup worker as a real process under faults: SIGKILL mid-batch, warm and cold stop, a poison entry.

Each test compares every figure of the snapshot with the figures computed directly from the events sent.
"""

from __future__ import annotations

import signal
import time
from datetime import UTC, datetime

import redis

from store.contract.keys import LIVE_GROUP
from store.pipeline.streams import append_events
from tests.support.faults import (
    KEYS,
    caught_up,
    counted,
    demo_events,
    mismatches,
    records,
    spawn_worker,
    stop,
    wait_until,
)
from tests.support.oracle import expected_figures

BATCH = "3000"


def _load(client, events) -> None:
    lines = records(events)
    for start in range(0, len(lines), 1000):
        append_events(client, KEYS, lines[start : start + 1000], cap=1_000_000)


def _pending(client) -> int:
    return client.xpending(KEYS.events, LIVE_GROUP)["pending"]


def _in_hand(client) -> int:
    """Entries delivered to a consumer and not yet acknowledged (0 while the group does not exist)."""
    try:
        return _pending(client)
    except redis.ResponseError:  # no group yet
        return 0


def _frozen_mid_batch(process, client, also=lambda: True) -> None:
    """Stop `process` (SIGSTOP) at a moment it holds a batch: delivered, not acknowledged, and `also()`.

    Checked while it is stopped, so the state cannot move on between the check and what the test does next
    (a signal or a kill): the test waits for that state, not for a time.
    """
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        process.send_signal(signal.SIGSTOP)
        time.sleep(0.05)  # commands it had already sent land meanwhile
        if _in_hand(client) and also():
            return
        process.send_signal(signal.SIGCONT)
        time.sleep(0.01)
    raise AssertionError("the worker was never caught holding a batch")


def _figures(client, reference, events, now) -> str:
    expected = sum(f["received_today"] for f in expected_figures(events, now, reference).values())
    return f"events sent {len(events)}, received today expected {expected}, counted {counted(client, reference, now)}"


def test_sigkill_mid_batch_then_restart_loses_nothing_and_counts_nothing_twice(
    server_client, redis_process, reference, tmp_path
):
    now = datetime.now(UTC)
    events = demo_events(reference, now, hours=0.3, seed=11)
    _load(server_client, events)
    log = tmp_path / "worker.log"

    first = spawn_worker(redis_process.url, "live-a", log, "--batch-size", BATCH, "--claim-idle", "1")
    # Let one batch through, then kill while the next is in hand (delivered, not acknowledged).
    wait_until(lambda: server_client.hexists(KEYS.heartbeats, "live-a"), 20, "worker never beat")
    _frozen_mid_batch(first, server_client, also=lambda: _acked(server_client) > 0)
    first.send_signal(signal.SIGKILL)
    first.wait(5)
    pending_at_kill = _pending(server_client)
    assert pending_at_kill > 0, "the kill did not land mid-batch"

    # Started again under another name (as a new process would be): the dead consumer's entries are claimed.
    second = spawn_worker(redis_process.url, "live-b", log, "--batch-size", BATCH, "--claim-idle", "1")
    try:
        wait_until(lambda: caught_up(server_client), 40, "the restarted worker did not catch up")
    finally:
        assert stop(second) == 0
    consumers = {c["name"]: c["pending"] for c in server_client.xinfo_consumers(KEYS.events, LIVE_GROUP)}
    assert consumers["live-a"] == 0
    assert mismatches(server_client, reference, events, now) == {}
    print(f"SIGKILL: {pending_at_kill} pending at the kill; {_figures(server_client, reference, events, now)}")


def _acked(client) -> int:
    """Entries the group has read and acknowledged so far."""
    group = next(g for g in client.xinfo_groups(KEYS.events) if g["name"] == LIVE_GROUP)
    return group["entries-read"] - group["pending"]


def test_sigterm_finishes_the_batch_in_hand_and_a_second_signal_stops_at_once(
    server_client, redis_process, reference, tmp_path
):
    now = datetime.now(UTC)
    events = demo_events(reference, now, hours=0.3, seed=12)
    _load(server_client, events)
    log = tmp_path / "worker.log"

    warm = spawn_worker(redis_process.url, "live-w", log, "--batch-size", BATCH)
    _frozen_mid_batch(warm, server_client)
    warm.send_signal(signal.SIGTERM)
    warm.send_signal(signal.SIGCONT)
    assert warm.wait(15) == 0
    assert _pending(server_client) == 0, "the warm stop left its batch unacknowledged"
    assert not caught_up(server_client), "the worker drained the stream instead of stopping"
    assert "warm stop" in log.read_text()

    cold = spawn_worker(redis_process.url, "live-w", log, "--batch-size", BATCH)
    # Both signals reach the worker while it holds a batch: SIGTERM and SIGINT (both stop it; two different
    # signals, since two of one kind do not queue), delivered together when it resumes.
    _frozen_mid_batch(cold, server_client)
    cold.send_signal(signal.SIGTERM)
    cold.send_signal(signal.SIGINT)
    cold.send_signal(signal.SIGCONT)
    assert cold.wait(10) == 1
    left_pending = _pending(server_client)
    assert left_pending > 0, "the cold stop waited for its batch"
    assert "cold stop" in log.read_text()

    # The same consumer name picks up its own pending entries first, without waiting to claim them.
    again = spawn_worker(redis_process.url, "live-w", log, "--batch-size", BATCH)
    try:
        wait_until(lambda: caught_up(server_client), 40, "the restarted worker did not catch up")
    finally:
        assert stop(again) == 0
    assert mismatches(server_client, reference, events, now) == {}
    print(f"SIGTERM: cold stop left {left_pending} pending; {_figures(server_client, reference, events, now)}")


def test_poison_entry_is_dead_lettered_with_its_reason_and_the_worker_carries_on(
    server_client, redis_process, reference, tmp_path
):
    now = datetime.now(UTC)
    events = demo_events(reference, now, hours=0.2, seed=13)
    lines = records(events)
    half = len(lines) // 2
    append_events(server_client, KEYS, lines[:half], cap=1_000_000)
    server_client.xadd(KEYS.events, {"e": '{"event_id": "poison", "type": "service_request"'})  # cut short
    append_events(server_client, KEYS, lines[half:], cap=1_000_000)
    log = tmp_path / "worker.log"

    worker = spawn_worker(redis_process.url, "live-p", log, "--max-deliveries", "3")
    try:
        wait_until(lambda: caught_up(server_client), 30, "the worker did not get past the poison entry")
        assert worker.poll() is None, "the worker exited on the poison entry"
    finally:
        assert stop(worker) == 0
    dead = server_client.xrange(KEYS.dead_letter)
    assert len(dead) == 1
    fields = dict(dead[0][1])
    assert fields["raw"].startswith('{"event_id": "poison"')
    assert "handler failed 3 times" in fields["error"]
    assert fields["source"] == "worker:live-p"
    assert mismatches(server_client, reference, events, now) == {}
    print(f"poison: 1 dead-lettered; {_figures(server_client, reference, events, now)}")
