"""Operations figures: stream lag, consumer groups, worker heartbeats, ingest rates, dead letters and replay."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import redis

from store.contract.calendar import WIB
from store.contract.events import decode_body, storable, to_record, validate_event
from store.contract.keys import Keys
from store.contract.reference import Reference
from store.pipeline.lag import group_lag
from store.pipeline.streams import StreamFull, append_events

HEARTBEAT_STALE_SECONDS = 30  # workers beat at least once per loop turn (about every second)
INGEST_MINUTE_TTL = 2 * 3600


def stream_status(client: redis.Redis, keys: Keys, now: datetime, cap: int) -> dict[str, Any]:
    """Length of the event stream against its cap, events refused at the door over the last 5 minutes, and per
    consumer group `store.pipeline.lag.group_lag`, its backlog and the oldest pending entry.

    `{"length": n, "cap": c, "refused_recently": r, "groups": [{"group", "exists", "consumers", "pending", "lag",
    "lag_capped", "backlog", "behind_seconds", "oldest_pending_idle_seconds"}, ...]}`: `backlog` is pending plus
    lag, what the group has not acknowledged; the last is the time since the oldest unacknowledged entry was
    delivered (None when nothing is pending), which grows when a consumer died holding entries.
    """
    try:
        names = [g["name"] for g in client.xinfo_groups(keys.events)]
    except redis.ResponseError:  # no stream yet
        names = []
    groups = []
    for name in sorted(names):
        lag = group_lag(client, keys.events, name, now.timestamp())
        oldest = _oldest_pending_idle(client, keys, name, lag["pending"])
        groups.append({**lag, "backlog": lag["pending"] + lag["lag"], "oldest_pending_idle_seconds": oldest})
    return {
        "length": client.xlen(keys.events),
        "cap": cap,
        "refused_recently": refused_recently(client, keys, now),
        "groups": groups,
    }


def _oldest_pending_idle(client: redis.Redis, keys: Keys, group: str, pending: int) -> float | None:
    if not pending:
        return None
    entries = client.xpending_range(keys.events, group, min="-", max="+", count=1)
    return round(entries[0]["time_since_delivered"] / 1000, 1) if entries else None


@dataclass(frozen=True)
class Heartbeat:
    worker: str
    at: datetime
    age_seconds: float
    alive: bool


def heartbeats(client: redis.Redis, keys: Keys, now: datetime) -> list[Heartbeat]:
    """Each worker's last heartbeat and its age; `alive` when younger than HEARTBEAT_STALE_SECONDS."""
    out = []
    for name, value in client.hgetall(keys.heartbeats).items():
        epoch = float(value)
        age = max(0.0, now.timestamp() - epoch)
        out.append(Heartbeat(name, datetime.fromtimestamp(epoch, WIB), round(age, 1), age < HEARTBEAT_STALE_SECONDS))
    return sorted(out, key=lambda h: h.worker)


def count_ingest(client: redis.Redis, keys: Keys, source: str, n: int, now: datetime) -> None:
    """Count `n` events accepted from an ingest source in the current minute (call once per request or file)."""
    if n <= 0:
        return
    key = keys.ingest_minute(int(now.timestamp()) // 60)
    pipe = client.pipeline(transaction=False)
    pipe.hincrby(key, source, n)
    pipe.expire(key, INGEST_MINUTE_TTL)
    pipe.execute()


def count_refused(client: redis.Redis, keys: Keys, source: str, n: int, now: datetime) -> None:
    """Count `n` events refused from a source in the current minute because the event stream was full."""
    key = keys.ingest_refused_minute(int(now.timestamp()) // 60)
    pipe = client.pipeline(transaction=False)
    pipe.hincrby(key, source, n)
    pipe.expire(key, INGEST_MINUTE_TTL)
    pipe.execute()


def refused_recently(client: redis.Redis, keys: Keys, now: datetime, minutes: int = 5) -> int:
    """Events refused at the door (stream full) over the last `minutes` minutes, all sources."""
    last = int(now.timestamp()) // 60
    pipe = client.pipeline(transaction=False)
    for minute in range(last - minutes + 1, last + 1):
        pipe.hvals(keys.ingest_refused_minute(minute))
    return sum(int(n) for values in pipe.execute() for n in values)


def ingest_rates(client: redis.Redis, keys: Keys, now: datetime, minutes: int = 5) -> dict[str, dict[str, Any]]:
    """Per source: events per minute over the last `minutes` complete-or-current minutes, and a per-minute series.

    `{"<source>": {"per_minute": 12.4, "series": [n_oldest, ..., n_current]}}`, sources sorted by name.
    """
    last = int(now.timestamp()) // 60
    pipe = client.pipeline(transaction=False)
    for minute in range(last - minutes + 1, last + 1):
        pipe.hgetall(keys.ingest_minute(minute))
    per_minute = pipe.execute()
    sources = sorted({s for counts in per_minute for s in counts})
    out = {}
    for source in sources:
        series = [int(counts.get(source.encode(), counts.get(source, 0))) for counts in per_minute]
        out[source] = {"per_minute": round(sum(series) / minutes, 1), "series": series}
    return out


@dataclass(frozen=True)
class DeadLetter:
    id: str
    at: str
    source: str
    error: str
    raw: str


def dead_letters(client: redis.Redis, keys: Keys, count: int = 50, before: str | None = None) -> list[DeadLetter]:
    """Dead-letter entries, newest first; pass the last id of a page as `before` for the next page."""
    entries = client.xrevrange(keys.dead_letter, max=f"({before}" if before else "+", min="-", count=count)
    return [_dead_letter(entry_id, fields) for entry_id, fields in entries]


def dead_letter_entry(client: redis.Redis, keys: Keys, entry_id: str) -> DeadLetter | None:
    """The dead-letter entry `entry_id`, None when it is gone or `entry_id` is not a stream id."""
    if not is_stream_id(entry_id):
        return None
    entries = client.xrange(keys.dead_letter, min=entry_id, max=entry_id)
    return _dead_letter(*entries[0]) if entries else None


def dead_letter_count(client: redis.Redis, keys: Keys) -> int:
    return client.xlen(keys.dead_letter)


def _dead_letter(entry_id: str, fields: dict) -> DeadLetter:
    text = {k: v for k, v in fields.items()}
    return DeadLetter(entry_id, text.get("at", ""), text.get("source", ""), text.get("error", ""), text["raw"])


_STREAM_ID = re.compile(r"[0-9]{1,20}-[0-9]{1,20}")


def is_stream_id(value: Any) -> bool:
    """True for a Redis stream entry id such as "1764560000000-0" (page controls send them back)."""
    if not isinstance(value, str) or _STREAM_ID.fullmatch(value) is None:
        return False
    return all(int(part) < 2**64 for part in value.split("-"))


@dataclass(frozen=True)
class ReplayResult:
    ok: bool
    error: str | None = None
    stream_id: str | None = None  # id of the event appended to the event stream


def replay(
    client: redis.Redis,
    keys: Keys,
    entry_id: str,
    fixed_raw: str | None,
    reference: Reference,
    now: datetime,
    cap: int = 1_000_000,
) -> ReplayResult:
    """Validate a dead-letter entry again (its fixed body if given, else the original) and, if valid, replay it.

    On success the event is appended to the event stream and the dead-letter entry deleted; on failure
    nothing changes and the error says why. Appending comes first: if the process dies before the delete,
    a second replay appends the same event_id again, which the rollup counts once.
    """
    entry = dead_letter_entry(client, keys, entry_id)
    if entry is None:
        return ReplayResult(False, f"dead-letter entry {storable(str(entry_id))[:40]!r} not found")
    raw = fixed_raw if fixed_raw is not None else entry.raw
    try:
        items = decode_body(raw.encode("utf-8", "surrogatepass"), "application/json")
    except ValueError as exc:
        return ReplayResult(False, f"event: not valid JSON ({exc})")
    if len(items) != 1:
        return ReplayResult(False, "event: replay takes exactly one JSON object")
    try:
        record = to_record(validate_event(items[0], reference, now.astimezone(UTC)))
    except ValueError as exc:
        return ReplayResult(False, str(exc))
    try:
        [stream_id] = append_events(client, keys, [record], cap)
    except StreamFull as full:
        return ReplayResult(False, str(full))
    client.xdel(keys.dead_letter, entry_id)
    return ReplayResult(True, None, stream_id)


def ops_status(client: redis.Redis, keys: Keys, now: datetime, cap: int) -> dict[str, Any]:
    """Everything `/ops` shows except the dead-letter page, as plain JSON-ready data (`cap`: the stream's)."""
    return {
        "as_of": now.astimezone(WIB).isoformat(timespec="seconds"),
        "stream": stream_status(client, keys, now, cap),
        "dead_letter_floods": client.xlen(keys.dead_letter_floods),
        "heartbeats": [{**vars(h), "at": h.at.isoformat(timespec="seconds")} for h in heartbeats(client, keys, now)],
        "ingest": ingest_rates(client, keys, now),
        "dead_letters": dead_letter_count(client, keys),
    }
