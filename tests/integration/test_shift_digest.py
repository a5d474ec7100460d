"""The handover digest since a shift began, from the SQL history, the live snapshot and acknowledgements."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from dashboard.kit.alerts import alert_text
from dashboard.pages.handover.view import digest_page
from store.contract.calendar import WIB
from store.contract.events import to_record, validate_event
from store.contract.keys import Keys
from store.contract.reference import load_reference
from store.contract.shifts import parse_shifts
from store.history.shifts import current_shift, digest
from store.live.alerts import Alert, AlertBook, evaluate
from store.live.state import LiveState
from workers.archive import archive_batch

KEYS = Keys("12")
NOW = datetime(2026, 3, 3, 2, 0, tzinfo=WIB)  # Tuesday 02:00 WIB: the night shift began Monday 23:00


def request(event_id: str, request_id: str, status: str, ts: datetime, regency: str = "12.71", **extra) -> dict:
    return {
        "event_id": event_id,
        "type": "service_request",
        "request_id": request_id,
        "regency_code": regency,
        "status": status,
        "category": "sampah_kebersihan",
        "channel": "web",
        "opd": "Dinas Lingkungan Hidup",
        "ts": ts.isoformat(),
        **extra,
    }


def test_digest_of_the_night_shift(sessions, redis_client, reference) -> None:
    start, end, name = current_shift(NOW, parse_shifts("07-15,15-23,23-07"))
    assert (start, end, name) == (
        datetime(2026, 3, 2, 23, 0, tzinfo=WIB),
        datetime(2026, 3, 3, 7, 0, tzinfo=WIB),
        "23-07",
    )
    before, during = start - timedelta(hours=2), start + timedelta(hours=1)
    events = [
        request("e1", "r1", "received", before),  # earlier shift
        request("e2", "r1", "resolved", during),  # resolved in this one
        request("e3", "r2", "received", during),  # new
        request("e4", "r2", "dispatched", during + timedelta(minutes=10)),
        # New, and overdue within the shift.
        request("e5", "r3", "received", during, regency="12.01", sla_due=(during + timedelta(minutes=30)).isoformat()),
        request("e6", "r4", "received", before - timedelta(days=1), sla_due=(during - timedelta(days=2)).isoformat()),
    ]
    records = [to_record(validate_event(e, reference, NOW)) for e in events]
    # Jawa Timur's requests in the same database (one deployment, two provinces): not Sumatera Utara's shift.
    jatim = load_reference("35")
    jatim_events = [
        request("j1", "jr1", "received", during, regency="35.78", opd="Dinas Kesehatan"),
        request("j2", "jr1", "resolved", during + timedelta(minutes=5), regency="35.78", opd="Dinas Kesehatan"),
    ]
    with sessions.begin() as session:
        archive_batch(session, records, reference)
        archive_batch(session, [to_record(validate_event(e, jatim, NOW)) for e in jatim_events], jatim)
    live = LiveState(redis_client, reference)
    live.apply(records, NOW)
    snapshot = live.snapshot(NOW)

    book = AlertBook(redis_client, KEYS)
    book.refresh(evaluate(snapshot, {}, reference, start), start)
    book.ack("overdue:12.01", "sari", during + timedelta(hours=1))

    with sessions() as session:
        report = digest(session, book, snapshot, start, NOW)
    assert report["totals"] == {"new": 2, "resolved": 1, "became_overdue": 1, "overdue_now": 2, "acknowledged": 1}
    assert report["stage_changes"] == {"resolved": 1, "received": 2, "dispatched": 1}
    assert report["regencies"]["12.01"] == {"new": 1, "resolved": 0, "became_overdue": 1, "overdue_now": 1}
    assert report["regencies"]["12.71"] == {"new": 1, "resolved": 1, "became_overdue": 0, "overdue_now": 1}
    assert [(a["id"], a["by"]) for a in report["acknowledged"]] == [("overdue:12.01", "sari")]
    assert "35.78" not in report["regencies"]
    # The page names the acknowledged alert in its reader's words, never by its key.
    page = json.dumps(
        [c.to_plotly_json() for c in digest_page(report, name, "Sumatera Utara", reference, "id")], default=str
    )
    assert "overdue:12.01" not in page and "35." not in page
    assert alert_text(Alert.from_dict(report["acknowledged"][0]), reference, "id") in page
    assert report["since"] == "2026-03-02T23:00+07:00" and report["until"] == "2026-03-03T02:00+07:00"
