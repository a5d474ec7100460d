"""Working-day deadlines on the Indonesian calendar (public holidays and cuti bersama), in WIB."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.contract.calendar import WIB, deadline, is_working_day, working_day_position, working_days_between


def wib(day: date, at: time = time(10, 0)) -> datetime:
    return datetime.combine(day, at, tzinfo=WIB)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=WIB)


@pytest.mark.parametrize(
    ("received", "working_days", "due"),
    [
        # Idul Fitri 2026: 20 March (cuti bersama), 21-22 (Eid, a weekend), 23-24 (cuti bersama) are off.
        (date(2026, 3, 19), 2, date(2026, 3, 26)),
        (date(2026, 3, 19), 1, date(2026, 3, 25)),
        # Nyepi 2026 (19 March) with its joint holiday the day before, then Idul Fitri.
        (date(2026, 3, 17), 1, date(2026, 3, 25)),
        # An ordinary week: Friday's request with one working day is due on Monday.
        (date(2026, 11, 20), 1, date(2026, 11, 23)),
        (date(2026, 11, 23), 5, date(2026, 11, 30)),
        # Received on a Saturday: the count starts with Monday.
        (date(2026, 11, 28), 1, date(2026, 11, 30)),
        # Christmas 2026: 24 December is cuti bersama, 25 December Christmas, then a weekend.
        (date(2026, 12, 23), 1, date(2026, 12, 28)),
        (date(2026, 12, 22), 2, date(2026, 12, 28)),
        # Across the year: New Year's Day 2027 (a Friday), a weekend, then Isra' Mi'raj on Tuesday 5 January.
        (date(2026, 12, 31), 2, date(2027, 1, 6)),
        # Ascension Day 2026 (Thursday 14 May) with its joint holiday on Friday.
        (date(2026, 5, 13), 2, date(2026, 5, 19)),
        # Independence Day, Monday 17 August 2026.
        (date(2026, 8, 14), 1, date(2026, 8, 18)),
    ],
)
def test_deadline_counts_working_days_only(received: date, working_days: int, due: date) -> None:
    assert deadline(wib(received), working_days) == end_of(due)


def test_the_received_day_is_the_wib_date() -> None:
    # 18 March 2026 18:30 UTC is already 19 March 01:30 in Jakarta.
    received = datetime(2026, 3, 18, 18, 30, tzinfo=UTC)
    assert deadline(received, 2) == end_of(date(2026, 3, 26))
    assert deadline(received, 2) == datetime(2026, 3, 26, 16, 59, 59, tzinfo=UTC)


def test_a_request_received_late_in_the_day_has_the_same_deadline() -> None:
    assert deadline(wib(date(2026, 3, 19), time(23, 59)), 2) == deadline(wib(date(2026, 3, 19), time(0, 1)), 2)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 20), False),  # cuti bersama Idul Fitri
        (date(2026, 3, 23), False),
        (date(2026, 3, 24), False),
        (date(2026, 3, 25), True),
        (date(2026, 12, 24), False),  # cuti bersama Natal
        (date(2026, 12, 25), False),
        (date(2026, 12, 28), True),
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 27), True),
    ],
)
def test_working_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


MOMENT = st.datetimes(min_value=datetime(2017, 12, 1), max_value=datetime(2027, 1, 31)).map(
    lambda d: d.replace(tzinfo=WIB)
)


@settings(max_examples=300, deadline=None)
@given(start=MOMENT, span=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)))
def test_positions_on_the_working_day_line_differ_by_the_working_days_between(start, span) -> None:
    """Before and after the line's origin, across years, weekends and holidays (Idul Fitri's collective leave)."""
    gap = working_day_position(start + span) - working_day_position(start)
    assert gap == pytest.approx(working_days_between(start, start + span), abs=1e-9)


def test_the_line_of_working_days_skips_days_off() -> None:
    friday = datetime(2026, 11, 27, 12, 0, tzinfo=WIB)
    assert working_day_position(friday + timedelta(days=3)) - working_day_position(friday) == pytest.approx(1.0)
    # 17 August (Independence Day), a Monday in 2026: nothing from Saturday to Tuesday midnight.
    assert working_day_position(datetime(2026, 8, 18, tzinfo=WIB)) == working_day_position(
        datetime(2026, 8, 15, 9, 0, tzinfo=WIB)
    )
