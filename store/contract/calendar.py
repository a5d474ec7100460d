"""Working-day deadlines on the Indonesian calendar, in WIB."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
import numpy as np

WIB = ZoneInfo("Asia/Jakarta")


@lru_cache(maxsize=16)
def _days_off(year: int) -> holidays.HolidayBase:
    # "government" adds cuti bersama (collective leave), which government offices also observe.
    return holidays.country_holidays("ID", years=year, categories=("public", "government"))


def days_off(years: Iterable[int]) -> set[date]:
    """The public holidays and collective leave of `years`, for whole columns of dates (`numpy.busday_count`)."""
    return {day for year in years for day in _days_off(year)}


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _days_off(day.year)


@lru_cache(maxsize=4096)
def _deadline_day(received_day: date, working_days: int) -> date:
    day, counted = received_day, 0
    while counted < working_days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def deadline(received: datetime, working_days: int) -> datetime:
    """End (23:59:59 WIB) of the `working_days`-th working day after the day a request was received."""
    received_day = received.astimezone(WIB).date()
    return datetime.combine(_deadline_day(received_day, working_days), time(23, 59, 59), tzinfo=WIB)


def iso_wib(moment: datetime | None) -> str | None:
    """A moment as ISO 8601 in WIB to the second ("2026-11-25T14:05:00+07:00"), as the pages and the API show it."""
    return moment.astimezone(WIB).isoformat(timespec="seconds") if moment else None


# Where `working_day_position` counts from.
POSITION_EPOCH = date(2020, 1, 1)


@lru_cache(maxsize=256)
def _holidays_of(year: int) -> np.ndarray:
    return np.array(sorted(days_off([year])), dtype="datetime64[D]")


@lru_cache(maxsize=256)
def _working_days_before(year: int) -> int:
    """Working days from `POSITION_EPOCH` to 1 January of `year` (negative before it)."""
    if year == POSITION_EPOCH.year:
        return 0
    if year < POSITION_EPOCH.year:
        return _working_days_before(year + 1) - _working_days_in(year)
    return _working_days_before(year - 1) + _working_days_in(year - 1)


def _working_days_in(year: int) -> int:
    first, after = np.datetime64(date(year, 1, 1)), np.datetime64(date(year + 1, 1, 1))
    return int(np.busday_count(first, after, holidays=_holidays_of(year)))


def working_day_position(moment: datetime) -> float:
    """`moment` on a line of working days (WIB): the working days from `POSITION_EPOCH` to it, counted as
    `working_days_between` counts them. So the working days between two moments are the difference of their
    positions, a subtraction that SQL can do for a whole column."""
    local = moment.astimezone(WIB)
    day = local.date()
    midnight, working = _day_position(day)
    if not working:
        return midnight
    return midnight + (local - datetime.combine(day, time(0), tzinfo=WIB)).total_seconds() / 86400


@lru_cache(maxsize=8192)
def _day_position(day: date) -> tuple[int, bool]:
    """The position of `day`'s midnight, and whether the day is a working day (the archive asks of the same few
    days for every request)."""
    first = np.datetime64(date(day.year, 1, 1))
    whole = int(np.busday_count(first, np.datetime64(day), holidays=_holidays_of(day.year)))
    return _working_days_before(day.year) + whole, is_working_day(day)


def working_days_between(start: datetime, end: datetime) -> float:
    """Working days elapsed from `start` to `end` on the Indonesian calendar, in WIB: each working day counts the
    share of its 24 hours inside the span, weekends and holidays nothing (0 when `end` is not after `start`)."""
    start, end = start.astimezone(WIB), end.astimezone(WIB)
    total, day = 0.0, start.date()
    while end > start and day <= end.date():
        day_start = datetime.combine(day, time(0), tzinfo=WIB)
        span = min(end, day_start + timedelta(days=1)) - max(start, day_start)
        if is_working_day(day):
            total += span.total_seconds() / 86400
        day += timedelta(days=1)
    return total
