"""Periods of the history pages: inclusive ranges of WIB days, named (today, 7, 30 or 90 days) or chosen."""

from __future__ import annotations

from datetime import date, timedelta

SPANS = {"today": 1, "7d": 7, "30d": 30, "90d": 90}
MAX_RANGE_DAYS = 366
# Days a page may ask for: far enough from the calendar's ends that a period and the one before it are dates.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)


def parse_day(text: str | None) -> date | None:
    """An ISO day from a page's query (`2026-11-01`); None when absent, malformed or outside 2000-2100."""
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        return None
    return day if day is not None and EARLIEST_DAY <= day <= LATEST_DAY else None


def period(span: str, today: date, start: date | None = None, end: date | None = None) -> tuple[date, date]:
    """First and last WIB day of a named span ending today ("today", "7d", "30d", "90d") or of a chosen
    range (`span="range"` with `start` and `end`, clipped to at most `MAX_RANGE_DAYS` days and to today)."""
    if span in SPANS:
        return today - timedelta(days=SPANS[span] - 1), today
    if span != "range" or start is None or end is None:
        raise ValueError(f"unknown period {span!r}")
    first, last = sorted((start, end))
    last = min(last, today)
    return min(last, max(first, last - timedelta(days=MAX_RANGE_DAYS - 1))), last


def days(start: date, end: date) -> list[date]:
    """Every day from start to end, inclusive."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def week_of(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def whole_weeks(first: date, last: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """[first, last] as the whole weeks (Monday to Sunday) inside it (the Mondays of the first and the last of them;
    None when there is none) and the ranges of days outside those weeks (none, one or two)."""
    start = first + timedelta(days=-first.weekday() % 7)  # the first Monday from `first`
    end = week_of(last + timedelta(days=1))  # the Monday after the last whole week
    if start >= end:
        return None, [(first, last)]
    edges = [(first, start - timedelta(days=1))] if first < start else []
    edges += [(end, last)] if end <= last else []
    return (start, end - timedelta(days=7)), edges
