"""Throttles kept in Redis, so every app process shares them: failed attempts and request rates."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import redis

from store.contract.keys import Keys


def _subject(value: str) -> str:
    # User names and addresses come from clients: a digest keeps key names short and free of odd characters.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class FailureThrottle:
    """After `free` failures within `window` seconds, each further failure locks the subject out for a delay that
    doubles every time (from `base_delay` up to `max_delay` seconds): guessing slows to a crawl, a typo costs
    nothing."""

    client: redis.Redis
    keys: Keys
    scope: str
    free: int = 5
    base_delay: float = 1.0
    max_delay: float = 900.0
    window: int = 3600

    def _keys(self, subject: str) -> tuple[str, str]:
        base = self.keys.throttle(self.scope, _subject(subject))
        return f"{base}:n", f"{base}:lock"

    def retry_after(self, subject: str) -> float:
        """Seconds before `subject` may try again; 0 when it may now."""
        remaining_ms = self.client.pttl(self._keys(subject)[1])
        return max(remaining_ms, 0) / 1000

    def failed(self, subject: str) -> float:
        """Record a failure; returns the lockout it earned in seconds (0 while still within the free ones)."""
        count_key, lock_key = self._keys(subject)
        with self.client.pipeline() as pipe:
            failures, _ = pipe.incr(count_key).expire(count_key, self.window).execute()
        if failures <= self.free:
            return 0.0
        delay = min(self.base_delay * 2 ** (failures - self.free - 1), self.max_delay)
        self.client.set(lock_key, 1, px=max(int(delay * 1000), 1))
        return delay

    def succeeded(self, subject: str) -> None:
        """Forget the failures of `subject`."""
        self.client.delete(*self._keys(subject))


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` requests per `period` seconds per subject (fixed windows)."""

    client: redis.Redis
    keys: Keys
    scope: str
    limit: int
    period: int = 1

    def hit(self, subject: str) -> float:
        """Count one request; returns 0 when allowed, else the seconds until the window ends."""
        key = self.keys.throttle(self.scope, _subject(subject))
        with self.client.pipeline() as pipe:
            # SET NX starts the window; EXPIRE NX would do it in one step but needs Redis 7.
            _, count, ttl = pipe.set(key, 0, ex=self.period, nx=True).incr(key).pttl(key).execute()
        if count <= self.limit:
            return 0.0
        return max(ttl, 1) / 1000
