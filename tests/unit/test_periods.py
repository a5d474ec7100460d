"""A period split into its whole weeks and the days outside them (`store.history.periods.whole_weeks`), as the wait
analysis reads the weekly and the daily stage histograms."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from store.history.periods import week_of, whole_weeks


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@given(first=st.dates(date(2025, 1, 1), date(2027, 12, 31)), length=st.integers(0, 400))
def test_whole_weeks_and_the_days_outside_them_cover_the_period_once(first: date, length: int) -> None:
    last = first + timedelta(days=length)
    weeks, edges = whole_weeks(first, last)
    covered = [day for low, high in edges for day in _days(low, high)]
    if weeks is not None:
        assert weeks[0].weekday() == weeks[1].weekday() == 0 and weeks[0] <= weeks[1]
        covered += _days(weeks[0], weeks[1] + timedelta(days=6))
        assert all((high - low).days < 6 for low, high in edges)  # a ragged end is less than a week
    assert sorted(covered) == _days(first, last)  # every day once, none outside


def test_a_week_starts_on_monday() -> None:
    assert week_of(date(2026, 12, 6)) == date(2026, 11, 30)  # a Sunday
    assert week_of(date(2026, 11, 30)) == date(2026, 11, 30)
    assert whole_weeks(date(2026, 12, 1), date(2026, 12, 6)) == (None, [(date(2026, 12, 1), date(2026, 12, 6))])
