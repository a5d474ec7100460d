"""The one clock that every page, worker, query and export reads "now" from.

A deployment reads the system's time. A test that freezes its data freezes this clock (`tests/support/clock.py`),
and with it everything the test drives in its process: the pages and their exports, the workers, the intake's
validation and counts. The browsers' own clocks (the wall's staleness badge) lie outside it.

Intervals (timeouts, rates, tick pacing) are measured with `time.monotonic`, which no calendar affects."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

# Seconds since the epoch: where "now" comes from. A test replaces it (with pytest's monkeypatch, so it comes back).
source: Callable[[], float] = time.time


def timestamp() -> float:
    """Seconds since the epoch, now."""
    return source()


def now() -> datetime:
    """Now, in UTC."""
    return datetime.fromtimestamp(source(), UTC)
