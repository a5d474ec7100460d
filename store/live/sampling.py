"""Rate-limited sampling shared by every process, on the caller's clock (so tests can move time)."""

from __future__ import annotations

from datetime import datetime, timedelta

import redis

# Take the turn when the last sample is at least `period` before `now`; a clock going back does not block it.
_CLAIM = """
local last = tonumber(redis.call('GET', KEYS[1]))
local now, period = tonumber(ARGV[1]), tonumber(ARGV[2])
if last and now >= last and now - last < period then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1
"""


def claim_turn(client: redis.Redis, key: str, now: datetime, period: timedelta) -> bool:
    """True for exactly one caller per `period` of `now` (across processes); that caller does the sampling."""
    return bool(client.eval(_CLAIM, 1, key, repr(now.timestamp()), repr(period.total_seconds())))
