"""Freezing the one clock (`store.contract.clock`) for a test whose data is frozen at a known instant."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from store.contract import clock


class FrozenClock:
    """Stands at `at` until the test moves it."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at.timestamp()

    def move(self, delta: timedelta) -> None:
        self.at += delta


def freeze_clock(monkeypatch: pytest.MonkeyPatch, at: datetime) -> FrozenClock:
    """Every page, worker, query and export of this process reads `at` as now, until the test ends."""
    frozen = FrozenClock(at)
    monkeypatch.setattr(clock, "source", frozen)
    return frozen
