"""History queries against figures worked out by hand from a small, known set of events."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from store.contract.calendar import WIB
from store.contract.events import to_record, validate_event
from store.history.open_requests import deadline_watch
from store.history.periods import period
from store.history.queries import categories, compare_regencies, daily_series, kpi_series, opd_table, summary
from workers.archive import archive_batch

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)  # Friday 27 November 2026, 13:00 WIB
TODAY = date(2026, 11, 27)
WEEK = (date(2026, 11, 21), TODAY)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> str:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB).isoformat()


def request(event_id: str, request_id: str, status: str, ts: str, category: str, opd: str, regency="12.71") -> dict:
    return {
        "event_id": event_id,
        "type": "service_request",
        "request_id": request_id,
        "regency_code": regency,
        "status": status,
        "category": category,
        "channel": "web",
        "opd": opd,
        "ts": ts,
    }


def kpi(event_id: str, value: float, ts: str) -> dict:
    return {"event_id": event_id, "type": "kpi", "metric": "ispu", "regency_code": "12.71", "value": value, "ts": ts}


EVENTS = [
    # r1: health, 2 working days (due Friday 27th), resolved after 25 hours: within the deadline.
    request("r1a", "r1", "received", at(25, 9), "kesehatan", "Dinas Kesehatan"),
    request("r1b", "r1", "resolved", at(26, 10), "kesehatan", "Dinas Kesehatan"),
    # r2: received on Friday 20th (before the week), due Tuesday 24th, resolved on the 26th: late, 8,640 minutes.
    request("r2a", "r2", "received", at(20, 8), "kesehatan", "Dinas Kesehatan"),
    request("r2b", "r2", "resolved", at(26, 8), "kesehatan", "Dinas Kesehatan"),
    # r3: roads, 10 working days, still in progress: due Thursday 10 December.
    request("r3a", "r3", "received", at(26, 14), "jalan_jembatan", "Dinas PUPR"),
    request("r3b", "r3", "in_progress", at(27, 9), "jalan_jembatan", "Dinas PUPR"),
    # r4: waste, 3 working days from Tuesday 10th: due Friday 13th, open and overdue.
    request("r4a", "r4", "received", at(10, 10), "sampah_kebersihan", "Dinas Lingkungan Hidup"),
    request("r4b", "r4", "verified", at(11, 10), "sampah_kebersihan", "Dinas Lingkungan Hidup"),
    # r5: received and rejected today: neither open nor resolved.
    request("r5a", "r5", "received", at(27, 7), "kesehatan", "Dinas Kesehatan"),
    request("r5b", "r5", "rejected", at(27, 8), "kesehatan", "Dinas Kesehatan"),
    # r6: another regency, resolved in 30 minutes.
    request("r6a", "r6", "received", at(26, 9), "kesehatan", "Dinas Kesehatan", regency="12.04"),
    request("r6b", "r6", "resolved", at(26, 9, 30), "kesehatan", "Dinas Kesehatan", regency="12.04"),
    kpi("k1", 50, at(26, 10)),
    kpi("k2", 70, at(26, 15)),
    kpi("k3", 90, at(27, 9)),
]


@pytest.fixture
def session(sessions, reference):
    records = [to_record(validate_event(e, reference, NOW)) for e in EVENTS]
    with sessions.begin() as s:
        archive_batch(s, records[::2], reference)
    with sessions.begin() as s:
        archive_batch(s, records[1::2], reference)
    with sessions() as s:
        yield s


def test_period_names() -> None:
    assert period("today", TODAY) == (TODAY, TODAY)
    assert period("7d", TODAY) == WEEK
    assert period("90d", TODAY) == (date(2026, 8, 30), TODAY)
    assert period("range", TODAY, date(2026, 12, 5), date(2026, 11, 1)) == (date(2026, 11, 1), TODAY)
    with pytest.raises(ValueError):
        period("year", TODAY)


def test_summary_of_the_week(session) -> None:
    figures = summary(session, "12.71", *WEEK, NOW)
    median = figures.pop("median_resolve_minutes")
    assert figures == {
        "received": 3,  # r1, r3, r5
        "resolved": 2,  # r1, r2
        "within_deadline_pct": 50.0,
        "mean_resolve_minutes": 5070.0,  # (1,500 + 8,640) / 2
        "open": 2,  # r3, r4
        "overdue": 1,  # r4
    }
    assert median == pytest.approx(5070, rel=0.1)  # approximate, from the duration histogram


def test_summary_of_today(session) -> None:
    figures = summary(session, "12.71", TODAY, TODAY, NOW)
    assert (figures["received"], figures["resolved"], figures["within_deadline_pct"]) == (1, 0, None)


def test_daily_series(session) -> None:
    series = daily_series(session, "12.71", *WEEK)
    assert series["day"][0] == "2026-11-21" and series["day"][-1] == "2026-11-27"
    assert series["received"] == [0, 0, 0, 0, 1, 1, 1]
    assert series["resolved"] == [0, 0, 0, 0, 0, 2, 0]
    assert series["within_deadline_pct"] == [None, None, None, None, None, 50.0, None]
    assert series["median_resolve_minutes"][5] == pytest.approx(5070, rel=0.1)


def test_categories(session) -> None:
    assert categories(session, "12.71", *WEEK) == [
        {"category": "kesehatan", "received": 2},
        {"category": "jalan_jembatan", "received": 1},
    ]


def test_opd_table(session) -> None:
    assert opd_table(session, "12.71", *WEEK, NOW) == [
        {
            "opd": "Dinas Kesehatan",
            "received": 2,
            "resolved": 2,
            "within_deadline_pct": 50.0,
            "median_resolve_minutes": 5070.0,
            "open": 0,
            "overdue": 0,
            "oldest_open_received_at": None,
        },
        {
            "opd": "Dinas PUPR",
            "received": 1,
            "resolved": 0,
            "within_deadline_pct": None,
            "median_resolve_minutes": None,
            "open": 1,
            "overdue": 0,
            "oldest_open_received_at": "2026-11-26T14:00:00+07:00",
        },
        {
            "opd": "Dinas Lingkungan Hidup",
            "received": 0,
            "resolved": 0,
            "within_deadline_pct": None,
            "median_resolve_minutes": None,
            "open": 1,
            "overdue": 1,
            "oldest_open_received_at": "2026-11-10T10:00:00+07:00",
        },
    ]


def test_deadline_watch(session) -> None:
    watch = deadline_watch(session, "12.71", NOW)
    assert [(w["request_id"], w["due_at"], w["overdue"]) for w in watch] == [
        ("r4", "2026-11-13T23:59:59+07:00", True),
        ("r3", "2026-12-10T23:59:59+07:00", False),
    ]
    assert watch[0]["hours_left"] == -325.0


def test_kpi_series(session, reference) -> None:
    assert kpi_series(session, "12.71", reference.kpis, *WEEK) == {
        "ispu": {"day": ["2026-11-26", "2026-11-27"], "mean": [60.0, 90.0], "min": [50.0, 90.0], "max": [70.0, 90.0]}
    }


def test_compare_regencies_with_the_province_median(session, reference) -> None:
    briefing = compare_regencies(session, ["12.71", "12.04"], reference.regencies, *WEEK)
    assert briefing["regencies"]["12.04"]["received"] == 1
    assert briefing["regencies"]["12.04"]["within_deadline_pct"] == 100.0
    assert briefing["regencies"]["12.04"]["median_resolve_minutes"] == pytest.approx(30, rel=0.1)
    median = briefing["province_median"]
    # 33 regencies, 31 of them without requests: the median count is 0.
    assert (median["received"], median["resolved"]) == (0, 0)
    assert median["within_deadline_pct"] == 75.0  # of 50 and 100
    assert median["mean_resolve_minutes"] == pytest.approx((5070 + 30) / 2)
    with pytest.raises(ValueError):
        compare_regencies(session, ["12.71"], reference.regencies, *WEEK)
