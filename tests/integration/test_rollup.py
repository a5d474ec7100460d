"""The live worker end to end: stream -> StreamWorker -> LiveRollup -> figures, with a frozen clock."""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
import redis

from store.contract.events import to_record, validate_event
from store.contract.keys import LIVE_GROUP, Keys
from store.contract.rooms import ALERTS_EVENT, VIEW_EVENT
from store.live.alerts import AlertBook
from store.live.cycle import published_cycle
from store.live.state import LiveState
from store.pipeline.streams import append_events
from workers.consumer import StreamWorker, WorkerSpec
from workers.live import (
    CONFLICT_ERROR,
    IDLE_CYCLE_SECONDS,
    SOCKETIO_CHANNEL,
    LiveRollup,
    TickCoalescer,
    socketio_emitter,
)
from workers.screens import HEARTBEAT_SECONDS, ScreenBroadcaster

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # 10:00 WIB on a Tuesday
KEYS = Keys("12")


def at(minutes: int) -> str:
    """An ISO time `minutes` after 09:00 WIB today."""
    return (NOW - timedelta(hours=1) + timedelta(minutes=minutes)).isoformat()


def request_event(event_id: str, request_id: str, status: str, minutes: int, **changes) -> dict:
    return {
        "event_id": event_id,
        "type": "service_request",
        "request_id": request_id,
        "regency_code": "12.71",
        "status": status,
        "category": "kesehatan",
        "channel": "app",
        "opd": "Dinas Kesehatan Kota Medan",
        "ts": at(minutes),
        **changes,
    }


def push(client: redis.Redis, reference, *events: dict) -> None:
    records = [to_record(validate_event(e, reference, now=NOW)) for e in events]
    append_events(client, KEYS, records, cap=10_000)


class Recorder:
    """An emitter that keeps what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict, str]] = []

    def __call__(self, event: str, payload: dict, room: str) -> None:
        self.sent.append((event, payload, room))

    @property
    def views(self) -> list[tuple[str, dict, str]]:
        """The view-models and patches sent, without the alerts events."""
        return [message for message in self.sent if message[0] == VIEW_EVENT]


def live_spec(client: redis.Redis, reference, emitter=None) -> WorkerSpec:
    screens = ScreenBroadcaster(client, reference, emitter or Recorder())
    rollup = LiveRollup(client, reference, lambda cycle: screens.push(cycle, ["province:id"]), clock=lambda: NOW)
    return WorkerSpec(LIVE_GROUP, rollup)


def drain(client, reference, name="w1", **options) -> StreamWorker:
    worker = StreamWorker(client, KEYS, live_spec(client, reference), name, burst=True, **options)
    worker.run()
    return worker


def medan(client, reference) -> dict:
    return LiveState(client, reference).snapshot(NOW)["regencies"]["12.71"]


def test_duplicates_count_once_and_conflicts_are_dead_lettered(redis_client, reference):
    first = request_event("e1", "r1", "received", 0)
    push(redis_client, reference, first, first, request_event("e2", "r2", "received", 5))
    drain(redis_client, reference)
    push(redis_client, reference, first, request_event("e1", "r1", "received", 0, channel="sms"))
    drain(redis_client, reference)

    figures = medan(redis_client, reference)
    assert figures["received_today"] == 2
    assert figures["open"] == 2
    assert figures["by_channel"] == {"app": 2}
    (entry,) = redis_client.xrange(KEYS.dead_letter)
    assert entry[1]["error"] == CONFLICT_ERROR
    assert json.loads(entry[1]["raw"])["channel"] == "sms"


def test_out_of_order_status_updates(redis_client, reference):
    push(
        redis_client,
        reference,
        request_event("a3", "ra", "resolved", 30),
        request_event("a2", "ra", "in_progress", 10),
        request_event("a1", "ra", "received", 0),
        request_event("b2", "rb", "verified", 20),
        request_event("b1", "rb", "rejected", 40),  # rejected later by ts, though it arrives earlier
    )
    drain(redis_client, reference, batch_size=2)
    figures = medan(redis_client, reference)
    assert figures["received_today"] == 2
    assert figures["open"] == 0
    assert figures["resolved_today"] == 1
    assert figures["median_resolve_minutes"] == 30.0
    assert figures["within_deadline_pct"] == 100.0


def test_hourly_counts_per_regency_and_province(redis_client, reference):
    push(
        redis_client,
        reference,
        request_event("h1", "q1", "received", 0),  # 09:00 WIB
        request_event("h2", "q1", "resolved", 70),  # 10:10 WIB
        request_event("h3", "q2", "received", 65),
        request_event("h4", "q3", "received", 66, regency_code="12.07", opd="Dinas Kesehatan Deli Serdang"),
    )
    drain(redis_client, reference)
    live = LiveState(redis_client, reference)

    province, medan_only = live.hourly(NOW, hours=3), live.hourly(NOW, hours=3, code="12.71")
    assert [h[11:16] for h in province["hour"]] == ["08:00", "09:00", "10:00"]
    assert (province["received"], province["resolved"]) == ([0, 1, 2], [0, 0, 1])
    assert (medan_only["received"], medan_only["resolved"]) == ([0, 1, 1], [0, 0, 1])
    assert live.hourly(NOW, hours=3, code="12.77")["received"] == [0, 0, 0]


def test_request_whose_earliest_event_arrives_last(redis_client, reference):
    push(redis_client, reference, request_event("c2", "rc", "verified", 20))
    drain(redis_client, reference)
    push(redis_client, reference, request_event("c3", "rc", "resolved", 50))
    drain(redis_client, reference)
    push(redis_client, reference, request_event("c1", "rc", "received", 5, channel="walk_in"))
    drain(redis_client, reference)
    figures = medan(redis_client, reference)
    assert figures["received_today"] == 1
    assert figures["resolved_today"] == 1
    assert figures["median_resolve_minutes"] == 45.0
    assert figures["open"] == 0


def test_killed_worker_batch_is_reclaimed_and_counted_once(redis_client, reference):
    events = [request_event(f"k{n}", f"rk{n}", "received", n) for n in range(10)]
    push(redis_client, reference, *events)
    redis_client.xgroup_create(KEYS.events, LIVE_GROUP, id="0", mkstream=True)
    # The "killed" consumer read all ten and applied the first four, then died before XACK.
    ((_, entries),) = redis_client.xreadgroup(LIVE_GROUP, "killed", {KEYS.events: ">"}, count=10)
    live_spec(redis_client, reference).handle([(i, f["e"]) for i, f in entries[:4]])
    assert redis_client.xpending(KEYS.events, LIVE_GROUP)["pending"] == 10

    patient = drain(redis_client, reference, name="patient", claim_idle_seconds=3600)
    assert patient.processed == 0  # not idle long enough yet: the owner may still be alive
    fresh = drain(redis_client, reference, name="fresh", claim_idle_seconds=0)
    assert fresh.processed == 10
    assert redis_client.xpending(KEYS.events, LIVE_GROUP)["pending"] == 0
    assert medan(redis_client, reference)["received_today"] == 10
    assert drain(redis_client, reference, name="fresh", claim_idle_seconds=0).processed == 0
    assert medan(redis_client, reference)["received_today"] == 10


def test_restarted_worker_finishes_its_own_pending_entries_first(redis_client, reference):
    push(redis_client, reference, *[request_event(f"p{n}", f"rp{n}", "received", n) for n in range(3)])
    redis_client.xgroup_create(KEYS.events, LIVE_GROUP, id="0", mkstream=True)
    redis_client.xreadgroup(LIVE_GROUP, "w1", {KEYS.events: ">"}, count=3)
    assert drain(redis_client, reference, name="w1", claim_idle_seconds=3600).processed == 3
    assert medan(redis_client, reference)["received_today"] == 3


def test_trimmed_pending_entries_are_acknowledged(redis_client, reference):
    push(redis_client, reference, request_event("t1", "rt1", "received", 0))
    redis_client.xgroup_create(KEYS.events, LIVE_GROUP, id="0", mkstream=True)
    redis_client.xreadgroup(LIVE_GROUP, "gone", {KEYS.events: ">"}, count=1)
    redis_client.xtrim(KEYS.events, maxlen=0)
    drain(redis_client, reference, name="fresh", claim_idle_seconds=0)
    assert redis_client.xpending(KEYS.events, LIVE_GROUP)["pending"] == 0


def signalling_spec(client, reference, signals: int) -> WorkerSpec:
    inner = live_spec(client, reference).handle

    def handle(batch):
        for _ in range(signals):
            os.kill(os.getpid(), signal.SIGTERM)
        inner(batch)

    return WorkerSpec(LIVE_GROUP, handle)


def test_first_sigterm_is_a_warm_stop(redis_client, reference):
    push(redis_client, reference, *[request_event(f"s{n}", f"rs{n}", "received", n) for n in range(20)])
    worker = StreamWorker(redis_client, KEYS, signalling_spec(redis_client, reference, 1), "w1", batch_size=5)
    assert worker.run() == 5  # not burst: only the signal ends it
    assert redis_client.xpending(KEYS.events, LIVE_GROUP)["pending"] == 0
    assert medan(redis_client, reference)["received_today"] == 5
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    assert drain(redis_client, reference).processed == 15


def test_second_sigterm_is_a_cold_stop(redis_client, reference):
    push(redis_client, reference, *[request_event(f"s{n}", f"rs{n}", "received", n) for n in range(20)])
    worker = StreamWorker(redis_client, KEYS, signalling_spec(redis_client, reference, 2), "w1", batch_size=5)
    with pytest.raises(SystemExit):
        worker.run()
    assert redis_client.xpending(KEYS.events, LIVE_GROUP)["pending"] == 5  # left for another consumer


def test_heartbeat_is_written(redis_client, reference):
    drain(redis_client, reference, name="live-1", clock=lambda: NOW.timestamp())
    assert int(redis_client.hget(KEYS.heartbeats, "live-1")) == int(NOW.timestamp())


def test_unreachable_redis_is_retried_with_backoff(reference, caplog):
    client = redis.Redis.from_url("unix:///nonexistent/redis.socket")
    worker = StreamWorker(client, KEYS, WorkerSpec(LIVE_GROUP, lambda batch: None), "w1", burst=True)
    ran: list[int] = []
    with caplog.at_level(logging.WARNING, logger="workers.consumer"):
        # The worker in a thread stopped after a second of sleep here: a timed wait (threading.Timer) never ends
        # under libfaketime, which shifts the monotonic clock the wait's deadline is read from.
        runner = threading.Thread(target=lambda: ran.append(worker.run()))
        runner.start()
        time.sleep(1.0)
        worker.request_stop()
        runner.join()
    assert ran == [0]
    retries = [r.getMessage() for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert retries[:2] and "retrying in 0.5 s" in retries[0] and "retrying in 1.0 s" in retries[1]


def test_ticks_are_coalesced_with_the_first_change_out_at_once():
    clock, ticks = [0.0], []
    coalescer = TickCoalescer(lambda: ticks.append(clock[0]), per_second=4, clock=lambda: clock[0])
    # 2 seconds of a busy feed: a change every millisecond.
    for ms in range(2000):
        clock[0] = ms / 1000
        coalescer.changed()
    clock[0] = 2.0
    coalescer.flush()
    assert ticks[0] == 0.0  # the first change goes out at once
    assert len(ticks) == 9 and all(b - a >= 0.25 for a, b in pairwise(ticks))
    clock[0] = 10.0
    coalescer.flush()  # nothing changed: no tick
    assert len(ticks) == 9
    coalescer.changed()  # after a quiet moment: at once
    assert ticks[-1] == 10.0


class Pushes:
    """A stand-in for the broadcaster's `push`: the figures of each cycle pushed, read from what was published."""

    def __init__(self, client: redis.Redis) -> None:
        self.redis = client
        self.received: list[int] = []

    def __call__(self, cycle) -> None:
        published = published_cycle(self.redis, KEYS)  # what a screen that asks now would get
        assert published.snapshot == cycle.snapshot
        self.received.append(cycle.snapshot["totals"]["received_today"])


def test_rollup_pushes_only_for_changes_and_each_push_is_of_a_published_cycle(redis_client, reference):
    pushes, clock = Pushes(redis_client), [0.0]
    rollup = LiveRollup(redis_client, reference, pushes, clock=lambda: NOW, timer=lambda: clock[0])
    record = to_record(validate_event(request_event("d1", "rd", "received", 0), reference, now=NOW))
    rollup([("1-0", record)])
    clock[0] = 1.0
    rollup([("2-0", record)])  # a duplicate changes nothing
    for n in range(3):
        clock[0] = 2.0 + n
        more = to_record(validate_event(request_event(f"c{n}", f"rc{n}", "received", n), reference, now=NOW))
        rollup([(f"{n + 3}-0", more)])
    assert pushes.received == [1, 2, 3, 4]


def _wall_on_a_clock(client: redis.Redis, reference) -> tuple[LiveRollup, Recorder, list[float], list[datetime]]:
    """A live rollup pushing to the province wall's room, on a timer and a clock the test moves, with one request
    received."""
    sent, timer, now = Recorder(), [0.0], [NOW]
    screens = ScreenBroadcaster(client, reference, sent, clock=lambda: timer[0])
    rollup = LiveRollup(
        client,
        reference,
        lambda c: screens.push(c, ["province:id"]),
        clock=lambda: now[0],
        timer=lambda: timer[0],
    )
    record = to_record(validate_event(request_event("q1", "rq1", "received", 0), reference, now=NOW))
    rollup([("1-0", record)])
    return rollup, sent, timer, now


def test_a_quiet_feed_is_pushed_every_few_seconds_with_only_what_moved(redis_client, reference):
    rollup, sent, timer, now = _wall_on_a_clock(redis_client, reference)
    assert [payload["seq"] for _, payload, _ in sent.views] == [1] and "model" in sent.views[0][1]

    timer[0], now[0] = 1.0, NOW + timedelta(seconds=1)
    rollup.idle()  # a cycle went out less than IDLE_CYCLE_SECONDS ago
    assert len(sent.views) == 1

    timer[0], now[0] = IDLE_CYCLE_SECONDS, NOW + timedelta(seconds=2)
    rollup.idle()  # a fresh cycle, but only its time moved: it waits for the heartbeat
    assert datetime.fromisoformat(published_cycle(redis_client, KEYS).snapshot["as_of"]) == now[0]
    assert len(sent.views) == 1

    timer[0], now[0] = HEARTBEAT_SECONDS, NOW + timedelta(seconds=10)
    rollup.idle()
    event, payload, room = sent.views[-1]
    assert (event, room, payload["seq"], payload["base"]) == ("view", "p12/province:id", 2, 1)
    assert payload["patch"] == {"as_of": published_cycle(redis_client, KEYS).snapshot["as_of"]}

    # Two weeks later, nothing sent meanwhile: the request is overdue and the regency silent, pushed at once.
    timer[0], now[0] = HEARTBEAT_SECONDS + IDLE_CYCLE_SECONDS, NOW + timedelta(days=14)
    rollup.idle()
    patch = sent.views[-1][1]["patch"]
    assert patch["tiles"]["overdue"] == "1"
    assert len(patch["silent"]) == len(reference.regencies)


def test_an_acknowledgement_ticks_at_once(redis_client, reference):
    pushes, timer = Pushes(redis_client), [0.0]
    rollup = LiveRollup(redis_client, reference, pushes, clock=lambda: NOW, timer=lambda: timer[0])
    rollup.idle()  # the first cycle
    AlertBook(redis_client, KEYS).refresh([], NOW)
    timer[0] = 0.5
    rollup.idle()  # the worker's own refresh is no acknowledgement
    assert len(pushes.received) == 1
    redis_client.publish(KEYS.alerts_channel, json.dumps({"reason": "ack", "id": "x", "by": "op"}))
    time.sleep(0.1)
    rollup.idle()
    assert len(pushes.received) == 2


def test_an_acknowledgement_reaches_the_ops_pages_through_the_live_worker_only(redis_client, reference):
    rollup, sent, timer, now = _wall_on_a_clock(redis_client, reference)
    timer[0], now[0] = IDLE_CYCLE_SECONDS, NOW + timedelta(days=14)  # the request is overdue: an alert fires
    rollup.idle()
    told = [(event, room) for event, _, room in sent.sent if event == ALERTS_EVENT]
    assert told and set(told) == {(ALERTS_EVENT, "p12/alerts")}
    alert = AlertBook(redis_client, KEYS).active()[0]

    rollup.idle()  # nothing changed: nobody is told again
    assert len([m for m in sent.sent if m[0] == ALERTS_EVENT]) == len(told)
    AlertBook(redis_client, KEYS).ack(alert.id, "budi", now[0])
    time.sleep(0.1)
    rollup.idle()
    assert len([m for m in sent.sent if m[0] == ALERTS_EVENT]) == len(told) + 1
    assert "acknowledged" in json.dumps(sent.views[-1][1]["patch"])  # and the wall's ticker shows it


def test_socketio_emitter_publishes_on_the_apps_message_queue_channel(redis_client, redis_url):
    pubsub = redis_client.pubsub()
    pubsub.subscribe(SOCKETIO_CHANNEL)
    assert pubsub.get_message(timeout=2)["type"] == "subscribe"
    socketio_emitter(redis_url)("view", {"seq": 1}, "regency:12.71:id")
    message = pubsub.get_message(timeout=2)
    pubsub.close()
    published = json.loads(message["data"])
    assert published["method"] == "emit"
    assert published["event"] == "view"
    assert published["room"] == "regency:12.71:id"
    assert published["data"] == [{"seq": 1}]  # the emit arguments


def test_kpis_and_requests_mixed_in_one_batch(redis_client, reference):
    def kpi(n: int, value: float) -> dict:
        return {"event_id": f"q{n}", "type": "kpi", "metric": "ispu", "regency_code": "12.71",
                "value": value, "ts": at(n)}  # fmt: skip

    push(redis_client, reference, kpi(1, 50), request_event("m1", "rm", "received", 2), kpi(3, 150), kpi(2, 90))
    drain(redis_client, reference)
    figures = medan(redis_client, reference)
    assert figures["received_today"] == 1
    assert figures["kpis"]["ispu"]["value"] == 150.0
    assert figures["kpis"]["ispu"]["state"] == "amber"


def test_two_regencies_numbering_alike_keep_two_requests(redis_client, reference):
    """A request is its regency's: the same request_id from another regency is another request."""
    push(
        redis_client,
        reference,
        request_event("medan-1", "1001", "received", 1),
        request_event("deli-1", "1001", "received", 2, regency_code="12.07"),
        request_event("deli-2", "1001", "resolved", 3, regency_code="12.07"),
    )
    drain(redis_client, reference)
    regencies = LiveState(redis_client, reference).snapshot(NOW)["regencies"]
    assert (regencies["12.71"]["received_today"], regencies["12.71"]["open"]) == (1, 1)
    assert (regencies["12.07"]["received_today"], regencies["12.07"]["resolved_today"]) == (1, 1)
    assert regencies["12.07"]["open"] == 0


def test_requests_stored_under_the_old_keys_are_renamed_once(redis_client, reference):
    push(redis_client, reference, request_event("e1", "r1", "received", 1))
    drain(redis_client, reference)
    state = LiveState(redis_client, reference)
    redis_client.rename(KEYS.request("12.71", "r1"), f"{KEYS.prefix}:req:r1")  # as an earlier version kept it
    assert state.rename_legacy_request_keys() == 1
    assert state.rename_legacy_request_keys() == 0
    push(redis_client, reference, request_event("e2", "r1", "resolved", 5))
    drain(redis_client, reference)
    figures = state.snapshot(NOW)["regencies"]["12.71"]
    assert (figures["received_today"], figures["resolved_today"], figures["open"]) == (1, 1, 0)
