"""Freezing the one clock (`store.contract.clock`) for a test whose data is frozen at a known instant."""

from __future__ import annotations

from datetime import datetime

import pytest

from store.contract import clock


def freeze_clock(monkeypatch: pytest.MonkeyPatch, at: datetime) -> None:
    """Every page, worker, query and export of this process reads `at` as now, until the test ends."""
    monkeypatch.setattr(clock, "source", at.timestamp)
