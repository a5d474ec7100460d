"""Shift boundaries in WIB, including the night shift over midnight."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from store.contract.calendar import WIB
from store.contract.settings import Settings
from store.contract.shifts import parse_shifts
from store.history.shifts import current_shift

SHIFTS = Settings().shifts


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=WIB)


@pytest.mark.parametrize(
    ("now", "start", "end", "name"),
    [
        (wib(2, 7), wib(2, 7), wib(2, 15), "07-15"),
        (wib(2, 14, 59), wib(2, 7), wib(2, 15), "07-15"),
        (wib(2, 15), wib(2, 15), wib(2, 23), "15-23"),
        (wib(2, 23), wib(2, 23), wib(3, 7), "23-07"),
        (wib(3, 0, 30), wib(2, 23), wib(3, 7), "23-07"),
        (wib(3, 6, 59), wib(2, 23), wib(3, 7), "23-07"),
    ],
)
def test_current_shift(now: datetime, start: datetime, end: datetime, name: str) -> None:
    assert current_shift(now, SHIFTS) == (start, end, name)


def test_a_utc_time_is_read_in_wib() -> None:
    # 17:30 UTC on the 2nd is 00:30 WIB on the 3rd: the night shift that began at 23:00 WIB on the 2nd.
    assert current_shift(datetime(2026, 3, 2, 17, 30, tzinfo=UTC), SHIFTS) == (wib(2, 23), wib(3, 7), "23-07")


def test_named_shifts_with_minutes() -> None:
    shifts = parse_shifts("pagi=07:30-19:30, malam=19:30-07:30")
    assert current_shift(wib(2, 7, 29), shifts) == (wib(1, 19, 30), wib(2, 7, 30), "malam")
    assert current_shift(wib(2, 7, 30), shifts) == (wib(2, 7, 30), wib(2, 19, 30), "pagi")
    assert current_shift(wib(2, 3), parse_shifts("00-24")) == (wib(2, 0), wib(3, 0), "00-24")


@pytest.mark.parametrize("spec", ["", "07-15,15-23", "07-15,14-23,23-07", "7", "07-25", "07-15,15-07,23-07"])
def test_shifts_must_cover_the_day_exactly(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_shifts(spec)
