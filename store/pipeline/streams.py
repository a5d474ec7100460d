"""Writing to the province's event stream and dead-letter stream, and trimming what every group has read.

The event stream is never trimmed by length: an entry leaves it only once every consumer group of `GROUPS` has
acknowledged it (`trim_acknowledged`, run by the workers). Its length is therefore the slowest group's backlog,
and `append_events` refuses a batch that would take it past the cap (`StreamFull`) instead of dropping
entries a group has not read.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

import redis
from redis.client import Pipeline

from store.contract import clock
from store.contract.events import storable
from store.contract.keys import ARCHIVE_GROUP, LIVE_GROUP, Keys

DEAD_LETTER_MAXLEN = 100_000
RAW_LIMIT = 64 * 1024  # a dead-letter entry keeps enough of the input to diagnose it, not a whole upload
SINGLE_PER_REQUEST = 100  # single dead letters one request or file may add; the rest are kept in bulk
SINGLE_PER_MINUTE = 1_000  # single dead letters one source may add in a minute
FLOOD_MAXLEN = 10_000
FLOOD_ERRORS_KEPT = 20
FULL_WAIT_SECONDS = 1.0
log = logging.getLogger(__name__)
GROUPS = (LIVE_GROUP, ARCHIVE_GROUP)  # every group that must read each accepted event before it may go
_APPEND = (Path(__file__).with_name("lua") / "append.lua").read_text()
_APPEND_SHA = hashlib.sha1(_APPEND.encode()).hexdigest()


class StreamFull(Exception):
    """The batch would take the stream's unacknowledged backlog past its cap: nothing was appended."""

    def __init__(self, length: int, cap: int) -> None:
        super().__init__(f"event stream full: {length} entries not yet read by every worker (cap {cap})")
        self.length = length
        self.cap = cap


def append_events(client: redis.Redis, keys: Keys, records: list[str], cap: int) -> list[str]:
    """XADD canonical records (field `e`) in one script, so a batch is accepted whole or not at all; raises
    `StreamFull` when the stream already holds `cap` entries less than the batch."""
    if not records:
        return []
    try:
        try:
            ids = client.evalsha(_APPEND_SHA, 1, keys.events, cap, *records)
        except redis.exceptions.NoScriptError:
            ids = client.eval(_APPEND, 1, keys.events, cap, *records)
    except redis.ResponseError as exc:
        if str(exc).startswith("STREAMFULL"):
            raise StreamFull(int(str(exc).split()[1]), cap) from None
        raise
    return [i for i in ids]


def append_when_room(
    client: redis.Redis, keys: Keys, records: list[str], cap: int, sleep: Callable[[float], None] = time.sleep
) -> list[str]:
    """`append_events`, waiting for the workers while the stream is full: for producers that can wait (the demo
    feed, a file import) rather than answer a sender."""
    waited = 0.0
    while True:
        try:
            return append_events(client, keys, records, cap)
        except StreamFull as full:
            if not waited:
                log.warning("%s; waiting for the workers", full)
            sleep(FULL_WAIT_SECONDS)
            waited += FULL_WAIT_SECONDS


def trim_acknowledged(client: redis.Redis, keys: Keys, groups: tuple[str, ...] = GROUPS) -> int:
    """Delete the entries every group of `groups` has acknowledged; returns how many went.

    Nothing goes while one of `groups` does not exist yet: its reader may not have started. A group's first
    unacknowledged entry is its oldest pending one, else the one after its last delivered: entries before the
    least of those, over all groups, are read and acknowledged by all. Groups only move forward, so the bound
    stays safe while the trim runs.
    """
    try:
        infos = {g["name"]: g for g in client.xinfo_groups(keys.events)}
    except redis.ResponseError:  # no stream yet
        return 0
    bounds = []
    for group in groups:
        info = infos.get(group)
        if info is None:
            return 0
        # Pending may have emptied since XINFO: then all it had delivered is acknowledged.
        oldest_pending = client.xpending(keys.events, group)["min"] if int(info["pending"]) else None
        if oldest_pending is not None:
            bounds.append(_parse_id(oldest_pending))
        else:
            ms, seq = _parse_id(info["last-delivered-id"])
            bounds.append((ms, seq + 1))
    ms, seq = min(bounds)
    if (ms, seq) <= (0, 1):
        return 0
    return int(client.execute_command("XTRIM", keys.events, "MINID", f"{ms}-{seq}"))


def dead_letter(client: redis.Redis | Pipeline, keys: Keys, raw: str, error: str, source: str) -> None:
    """Keep one rejected input and the reason in the capped dead-letter stream (a worker's poison entry, a
    simulated event); use `dead_letter_all` for what a sender's request or file brought."""
    client.xadd(
        keys.dead_letter,
        {
            "raw": storable(raw[:RAW_LIMIT]),
            "error": storable(error),
            "source": storable(source),
            "at": clock.now().isoformat(timespec="seconds"),
        },
        maxlen=DEAD_LETTER_MAXLEN,
        approximate=True,
    )


def dead_letter_all(client: redis.Redis, keys: Keys, rejected: list[tuple[str, str]], source: str) -> int:
    """Dead-letter a request's or a file's rejections, `(raw, error)` each, without letting a flood push out
    what operators have yet to fix.

    A source gets `SINGLE_PER_REQUEST` single, replayable entries per call and `SINGLE_PER_MINUTE` a minute;
    the rest are kept in bulk as one entry of `keys.dead_letter_floods` (a stream with its own cap). Returns
    how many were kept singly.
    """
    if not rejected:
        return 0
    budget_key = keys.dead_letter_budget(source, int(clock.timestamp()) // 60)
    with client.pipeline(transaction=False) as pipe:
        used, _ = pipe.incrby(budget_key, 0).expire(budget_key, 120).execute()
    singly = max(0, min(len(rejected), SINGLE_PER_REQUEST, SINGLE_PER_MINUTE - int(used)))
    with client.pipeline(transaction=False) as pipe:
        pipe.incrby(budget_key, singly)
        for raw, error in rejected[:singly]:
            dead_letter(pipe, keys, raw, error, source)
        rest = rejected[singly:]
        if rest:
            pipe.xadd(
                keys.dead_letter_floods,
                {
                    "count": len(rest),
                    "errors": storable("\n".join(error for _, error in rest[:FLOOD_ERRORS_KEPT])[:RAW_LIMIT]),
                    "raw": storable("\n".join(raw for raw, _ in rest)[:RAW_LIMIT]),
                    "source": storable(source),
                    "at": clock.now().isoformat(timespec="seconds"),
                },
                maxlen=FLOOD_MAXLEN,
                approximate=True,
            )
        pipe.execute()
    return singly


def _parse_id(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)
