"""A generic consumer-group worker on the province's event stream.

Delivery is at least once: a batch is acknowledged only after its handler returns, and entries left
pending by a dead consumer are claimed (XAUTOCLAIM) once they have been idle long enough. Handlers
must therefore be idempotent, as the live rollup is.

A batch whose handler fails (other than by losing Redis) is retried entry by entry; an entry that keeps
failing after `max_deliveries` deliveries is moved to the dead-letter stream with the reason and
acknowledged, so one poison entry neither stops the worker nor is lost.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

import redis

from store.contract import clock as shared_clock
from store.contract.keys import Keys
from store.pipeline.streams import dead_letter, trim_acknowledged

log = logging.getLogger(__name__)

Batch = list[tuple[str, str]]  # (stream entry id, canonical event record)
POISON_RETRY_SECONDS = 0.2  # pause before retrying a failed entry, so a failing handler does not spin
TRIM_EVERY_SECONDS = 1.0  # how often a worker trims what every group has acknowledged


@dataclass(frozen=True)
class WorkerSpec:
    """What a kind of worker does: its consumer group, batch handler and idle hook."""

    group: str
    handle: Callable[[Batch], None]
    on_idle: Callable[[], None] | None = None
    block_ms: int = 1000


class StreamWorker:
    """Reads batches of `keys.events` in a consumer group and hands them to `handle`.

    Stops warm (finishes and acknowledges the batch in hand) on the first SIGTERM/SIGINT and cold
    (at once, leaving the batch pending for another consumer) on the second. In `burst` mode it returns
    as soon as nothing is pending, claimable or new.
    """

    def __init__(
        self,
        client: redis.Redis,
        keys: Keys,
        spec: WorkerSpec,
        name: str,
        *,
        batch_size: int = 1000,
        claim_idle_seconds: float = 60.0,
        claim_every_seconds: float = 5.0,
        burst: bool = False,
        max_backoff_seconds: float = 30.0,
        max_deliveries: int = 5,
        clock: Callable[[], float] = shared_clock.timestamp,
    ) -> None:
        self.redis = client
        self.keys = keys
        self.spec = spec
        self.name = name
        self.batch_size = batch_size
        self.claim_idle_ms = int(claim_idle_seconds * 1000)
        self.claim_every = claim_every_seconds
        self.burst = burst
        self.max_backoff = max_backoff_seconds
        self.max_deliveries = max_deliveries
        self.clock = clock
        self.processed = 0
        self._stop_requested = False
        self._reconnecting = False
        self._own_pending = True  # after a restart under the same name, our own pending entries come first
        self._last_claim = float("-inf")
        self._last_trim = float("-inf")
        self._claim_cursor = "0-0"

    @property
    def stopping(self) -> bool:
        return self._stop_requested

    def request_stop(self) -> None:
        """Warm stop: finish the batch in hand, acknowledge it, then return from `run`."""
        self._stop_requested = True

    def run(self) -> int:
        """Process until stopped (or, in burst mode, until the stream is drained); returns entries handled."""
        previous = self._install_signal_handlers()
        try:
            backoff = 0.0
            while not self._stop_requested:
                try:
                    self._ensure_group()
                    while not self._stop_requested:
                        handled = self._step()
                        if self._reconnecting:
                            log.info("worker %s: Redis reachable again; resuming", self.name)
                            self._reconnecting = False
                        backoff = 0.0
                        if not handled and self.burst:
                            return self.processed
                except (redis.ConnectionError, redis.TimeoutError) as exc:
                    backoff = min(self.max_backoff, backoff * 2 or 0.5)
                    log.warning("worker %s: Redis unreachable (%s); retrying in %.1f s", self.name, exc, backoff)
                    self._sleep(backoff)
                    self._own_pending = True  # the batch in hand when Redis went away is still ours
                    self._reconnecting = True
                except redis.ResponseError as exc:
                    if "NOGROUP" not in str(exc):
                        raise
                    log.warning("worker %s: consumer group vanished (Redis restarted?); recreating", self.name)
            return self.processed
        finally:
            self._restore_signal_handlers(previous)

    def _ensure_group(self) -> None:
        try:
            self.redis.xgroup_create(self.keys.events, self.spec.group, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def _step(self) -> bool:
        """One loop turn: heartbeat, claim, read, handle, acknowledge. True when a batch was handled."""
        now = self.clock()
        self.redis.hset(self.keys.heartbeats, self.name, int(now))
        if self.burst or now - self._last_claim >= self.claim_every:
            self._last_claim = now
            self._own_pending |= self._claim_abandoned()
        batch = self._read_own_pending() if self._own_pending else None
        if not batch:
            self._own_pending = False
            batch = self._read_new()
        if batch:
            self._handle(batch)
        if self.burst or now - self._last_trim >= TRIM_EVERY_SECONDS:
            self._last_trim = now
            trim_acknowledged(self.redis, self.keys)
        if self.spec.on_idle:
            self.spec.on_idle()
        return bool(batch)

    def _claim_abandoned(self) -> bool:
        """Move entries idle in other consumers' pending lists into ours; they are read from id 0 next."""
        cursor, claimed, *_ = self.redis.xautoclaim(
            self.keys.events,
            self.spec.group,
            self.name,
            self.claim_idle_ms,
            start_id=self._claim_cursor,
            count=self.batch_size,
        )
        # Resume where the scan stopped, so a long pending list is covered over several turns.
        self._claim_cursor = cursor
        return bool(claimed)

    def _read_own_pending(self) -> list[tuple[str, dict]] | None:
        reply = self.redis.xreadgroup(self.spec.group, self.name, {self.keys.events: "0"}, count=self.batch_size)
        return reply[0][1] if reply else None

    def _read_new(self) -> list[tuple[str, dict]] | None:
        reply = self.redis.xreadgroup(
            self.spec.group,
            self.name,
            {self.keys.events: ">"},
            count=self.batch_size,
            block=None if self.burst else self.spec.block_ms,
        )
        return reply[0][1] if reply else None

    def _handle(self, entries: list[tuple[str, dict]]) -> None:
        ids = [entry_id for entry_id, _ in entries]
        # An entry deleted from the stream while pending (by hand: the workers trim only what every group
        # acknowledged) comes back without fields: acknowledge, skip.
        batch = [(entry_id, record) for entry_id, fields in entries if (record := fields.get("e"))]
        try:
            if batch:
                self.spec.handle(batch)
        except (redis.ConnectionError, redis.TimeoutError):
            raise
        except Exception:
            log.exception("worker %s: handler failed on a batch of %d; retrying entry by entry", self.name, len(batch))
            trimmed = set(ids).difference(entry_id for entry_id, _ in batch)
            if trimmed:
                self.redis.xack(self.keys.events, self.spec.group, *trimmed)
            self._handle_singly(batch)
            return
        self.redis.xack(self.keys.events, self.spec.group, *ids)
        self.processed += len(batch)

    def _handle_singly(self, batch: Batch) -> None:
        """Isolate what fails: acknowledge each entry that succeeds, dead-letter one delivered too often."""
        failed = False
        for entry_id, record in batch:
            try:
                self.spec.handle([(entry_id, record)])
            except (redis.ConnectionError, redis.TimeoutError):
                raise
            except Exception as exc:
                deliveries = self._deliveries(entry_id)
                if deliveries < self.max_deliveries:
                    log.warning("worker %s: entry %s failed (delivery %d): %r", self.name, entry_id, deliveries, exc)
                    failed = True
                    continue
                reason = f"handler failed {deliveries} times in group {self.spec.group}: {exc!r}"
                dead_letter(self.redis, self.keys, record, reason, f"worker:{self.name}")
                log.error("worker %s: entry %s moved to the dead-letter stream: %s", self.name, entry_id, reason)
            else:
                self.processed += 1
            self.redis.xack(self.keys.events, self.spec.group, entry_id)
        if failed:
            self._own_pending = True  # retried from our pending list on the next turn
            self._sleep(POISON_RETRY_SECONDS)

    def _deliveries(self, entry_id: str) -> int:
        pending = self.redis.xpending_range(self.keys.events, self.spec.group, entry_id, entry_id, 1)
        return pending[0]["times_delivered"] if pending else 1

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._stop_requested and time.monotonic() < deadline:
            time.sleep(min(0.1, deadline - time.monotonic()))

    def _install_signal_handlers(self) -> dict[int, object]:
        if threading.current_thread() is not threading.main_thread():
            return {}
        return {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}

    @staticmethod
    def _restore_signal_handlers(previous: dict[int, object]) -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self._stop_requested:
            log.warning("worker %s: cold stop; the batch in hand stays pending", self.name)
            raise SystemExit(1)
        log.info("worker %s: warm stop; finishing the batch in hand (signal again to stop now)", self.name)
        self.request_stop()


def run_together(workers: list[StreamWorker]) -> int:
    """Run several workers (one per province) in one process, each in a thread of its own; the first SIGTERM or
    SIGINT stops them all warm, the second at once. Returns the entries they handled."""
    if len(workers) == 1:
        return workers[0].run()
    threads = [threading.Thread(target=w.run, name=f"{w.name}:{w.keys.province}", daemon=True) for w in workers]

    def stop(signum: int, frame: FrameType | None) -> None:
        if any(w.stopping for w in workers):
            log.warning("cold stop of %d workers; the batches in hand stay pending", len(workers))
            raise SystemExit(1)
        log.info("warm stop of %d workers (signal again to stop now)", len(workers))
        for worker in workers:
            worker.request_stop()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(0.5)
    finally:
        StreamWorker._restore_signal_handlers(previous)
    return sum(w.processed for w in workers)
