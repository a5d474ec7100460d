"""How far a consumer group is behind its stream, for /healthz (the archive must never fall behind silently)."""

from __future__ import annotations

from typing import Any

import redis

from store.contract import clock
from store.contract.keys import ARCHIVE_GROUP, Keys

# Redis 6.2 reports no lag: entries after the group's position are counted, up to this many.
COUNT_CAP = 10_000


def group_lag(client: redis.Redis, stream: str, group: str, now: float | None = None) -> dict[str, Any]:
    """The state of one consumer group of `stream`.

    Answers `{"group", "exists", "consumers", "pending", "lag", "lag_capped", "behind_seconds"}`: `pending`
    is delivered but not acknowledged, `lag` is not yet delivered (at least `COUNT_CAP` when `lag_capped`),
    `behind_seconds` is the age of the oldest entry not yet delivered (0 when none).
    """
    now = clock.timestamp() if now is None else now
    try:
        groups = client.xinfo_groups(stream)
    except redis.ResponseError:  # no such stream yet
        groups = []
    info = next((g for g in groups if g["name"] == group), None)
    if info is None:
        return {
            "group": group,
            "exists": False,
            "consumers": 0,
            "pending": 0,
            "lag": None,
            "lag_capped": False,
            "behind_seconds": None,
        }
    after = f"({info['last-delivered-id']}"  # exclusive range start
    following = client.xrange(stream, min=after, count=1)
    lag, capped = info.get("lag"), False
    if lag is None:  # Redis 6.2, or Redis 7 after trimming past the group
        counted = len(client.xrange(stream, min=after, count=COUNT_CAP))
        lag, capped = counted, counted >= COUNT_CAP
    behind = max(0.0, now - _id_seconds(following[0][0])) if following else 0.0
    return {
        "group": group,
        "exists": True,
        "consumers": int(info["consumers"]),
        "pending": int(info["pending"]),
        "lag": int(lag),
        "lag_capped": capped,
        "behind_seconds": round(behind, 1),
    }


def archive_lag(client: redis.Redis, keys: Keys, now: float | None = None) -> dict[str, Any]:
    """`group_lag` of the archive worker's consumer group on the province's event stream."""
    return group_lag(client, keys.events, ARCHIVE_GROUP, now)


def _id_seconds(entry_id: str) -> float:
    return int(entry_id.split("-", 1)[0]) / 1000
