"""The handover page's choice of shift: the one under way, or the one before it (over midnight in WIB)."""

from __future__ import annotations

from datetime import datetime

from dashboard.pages.handover.view import CURRENT, PREVIOUS, chosen_shift, digest_page
from store.contract.calendar import WIB
from store.contract.shifts import parse_shifts

SHIFTS = parse_shifts("07-15,15-23,23-07")


def test_current_and_previous_shift_over_midnight() -> None:
    now = datetime(2026, 3, 10, 1, 30, tzinfo=WIB)
    start, end, name = chosen_shift(CURRENT, now, SHIFTS)
    assert (start, end, name) == (datetime(2026, 3, 9, 23, tzinfo=WIB), datetime(2026, 3, 10, 7, tzinfo=WIB), "23-07")
    start, end, name = chosen_shift(PREVIOUS, now, SHIFTS)
    assert (start, end, name) == (datetime(2026, 3, 9, 15, tzinfo=WIB), datetime(2026, 3, 9, 23, tzinfo=WIB), "15-23")


def test_digest_page_shows_totals_regencies_and_acknowledgements(reference) -> None:
    digest = {
        "since": "2026-03-09T23:00+07:00",
        "until": "2026-03-10T01:30+07:00",
        "totals": {"new": 12, "resolved": 3, "became_overdue": 2, "overdue_now": 4, "acknowledged": 1},
        "stage_changes": {"received": 12, "resolved": 3},
        "regencies": {"12.71": {"new": 12, "resolved": 3, "became_overdue": 2, "overdue_now": 4}},
        "acknowledged": [
            {"id": "overdue:12.71", "kind": "overdue", "regency": "12.71", "severity": "critical", "by": "sinta",
             "at": "2026-03-10T00:10:00+07:00"}
        ],
    }  # fmt: skip
    page = digest_page(digest, "23-07", "Sumatera Utara", reference, "id")
    text = str(page)
    assert "Sif 23-07: 09-03-2026 23:00 sampai 10-03-2026 01:30" in text
    assert "Kota Medan" in text and "sinta" in text and "Kritis" in text and "Diterima" in text


def test_stages_come_in_lifecycle_order(reference) -> None:
    digest = {
        "since": "2026-03-09T23:00+07:00",
        "until": "2026-03-10T01:30+07:00",
        "totals": {"new": 0, "resolved": 0, "became_overdue": 0, "overdue_now": 0, "acknowledged": 0},
        "stage_changes": {
            "dispatched": 1,
            "in_progress": 2,
            "received": 3,
            "rejected": 4,
            "resolved": 5,
            "verified": 6,
        },
        "regencies": {},
        "acknowledged": [],
    }
    text = str(digest_page(digest, "23-07", "Sumatera Utara", reference, "id"))
    order = ["Diterima", "Diverifikasi", "Diteruskan", "Dikerjakan", "Selesai", "Ditolak"]
    assert [text.index(f"'{word}'") for word in order] == sorted(text.index(f"'{word}'") for word in order)
