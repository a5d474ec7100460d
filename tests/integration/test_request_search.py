"""Finding a request and reading its story, against a small known archive, on SQLite (FTS5) and, with
DATABASE_URL, PostgreSQL (tsvector): the same requests found in the same order on both."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from store.contract.calendar import WIB, working_days_between
from store.contract.events import to_record, validate_event
from store.contract.reference import load_reference
from store.history.search import query_words, search_requests
from store.history.story import regencies_with_request, request_story
from tests.integration.test_history_queries import at, request
from workers.archive import archive_batch

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)  # Friday 27 November 2026, 13:00 WIB


def titled(event: dict, title: str) -> dict:
    return {**event, "title": title}


EVENTS = [
    titled(
        request("a1", "MDN-0001", "received", at(23, 9), "jalan_jembatan", "Dinas PUPR"), "Jalan berlubang Jl. Gatot"
    ),
    request("a2", "MDN-0001", "verified", at(23, 11), "jalan_jembatan", "Dinas PUPR"),
    # Forwarded to another agency, then resolved, then reopened (rework), then resolved again.
    request("a3", "MDN-0001", "dispatched", at(24, 9), "jalan_jembatan", "Dinas Perhubungan"),
    request("a4", "MDN-0001", "resolved", at(25, 15), "jalan_jembatan", "Dinas Perhubungan"),
    request("a5", "MDN-0001", "in_progress", at(26, 8), "jalan_jembatan", "Dinas Perhubungan"),
    request("a6", "MDN-0001", "resolved", at(26, 16), "jalan_jembatan", "Dinas Perhubungan"),
    titled(
        request("b1", "MDN-0002", "received", at(26, 10), "air_bersih", "PDAM Tirtanadi"),
        "Air keruh di Jalan Sisingamangaraja",
    ),
    titled(
        request("c1", "NIA-0001", "received", at(26, 10), "kesehatan", "Dinas Kesehatan", regency="12.04"),
        "Puskesmas tutup",
    ),
    # The same number in another regency: the page asks which.
    titled(
        request("d1", "MDN-0002", "received", at(26, 11), "kesehatan", "Dinas Kesehatan", regency="12.04"), "Obat habis"
    ),
]


@pytest.fixture
def session(sessions, reference):
    records = [to_record(validate_event(e, reference, NOW)) for e in EVENTS]
    with sessions.begin() as s:
        archive_batch(s, records, reference)
    with sessions() as s:
        yield s


def _found(session, area: str, query: str) -> list[tuple[str, str]]:
    return [(r["regency"], r["request_id"]) for r in search_requests(session, area, query, NOW)]


def test_words_of_the_title_the_opd_and_the_category_find_requests(session) -> None:
    assert _found(session, "12", "berlubang") == [("12.71", "MDN-0001")]
    assert set(_found(session, "12", "jal")) == {("12.71", "MDN-0001"), ("12.71", "MDN-0002")}  # a prefix
    assert _found(session, "12", "jalan")[0] == ("12.71", "MDN-0001")  # in its title and its category: first
    assert _found(session, "12", "perhubungan") == [("12.71", "MDN-0001")]  # its OPD now
    assert set(_found(session, "12", "kesehatan")) == {("12.04", "MDN-0002"), ("12.04", "NIA-0001")}  # category
    assert _found(session, "12", "air keruh") == [("12.71", "MDN-0002")]  # every word must match
    assert _found(session, "12", "kesehatan tutup") == [("12.04", "NIA-0001")]
    assert _found(session, "12", "air tutup") == []
    assert _found(session, "12.71", "kesehatan") == []


def test_an_exact_id_comes_first_and_the_area_bounds_the_search(session) -> None:
    found = search_requests(session, "12", "MDN-0002", NOW)
    assert [(r["regency"], r["exact"]) for r in found] == [("12.04", True), ("12.71", True)]
    assert _found(session, "12", "mdn 0001")[0] == ("12.71", "MDN-0001")
    assert _found(session, "35", "berlubang") == []  # another province's search finds none of these
    assert _found(session, "12.04", "MDN-0001") == []


@pytest.mark.parametrize("query", ["", "   ", "***", '"', "'; DROP TABLE service_requests; --", "a" * 5000, "NEAR(x"])
def test_any_query_is_safe(session, query: str) -> None:
    assert isinstance(search_requests(session, "12", query, NOW), list)
    assert len(query_words(query)) <= 8


def test_the_story_shows_each_stage_the_moves_and_the_rework(session) -> None:
    story = request_story(session, "12.71", "MDN-0001", NOW)
    assert [c["status"] for c in story["changes"]] == [
        "received", "verified", "dispatched", "resolved", "in_progress", "resolved"
    ]  # fmt: skip
    assert story["moves"] == [
        {"from": "Dinas PUPR", "to": "Dinas Perhubungan", "at": datetime(2026, 11, 24, 9, tzinfo=WIB).isoformat()}
    ]
    assert [r["status"] for r in story["reopened"]] == ["in_progress"]
    first = story["stages"][0]  # received Monday 09:00 -> verified 11:00: two hours of a working day
    assert first["working_days"] == round(2 / 24, 2) and first["opd"] == "Dinas PUPR"
    assert story["stages"][-1]["end"] is None  # resolved: the last stage does not run on
    assert story["status"] == "resolved" and story["working_days_taken"] == round(
        working_days_between(datetime(2026, 11, 23, 9, tzinfo=WIB), datetime(2026, 11, 26, 16, tzinfo=WIB)), 2
    )
    assert regencies_with_request(session, "12", "MDN-0002") == ["12.04", "12.71"]
    assert request_story(session, "12.71", "NIA-0001", NOW) is None


def test_working_days_leave_out_weekends_and_holidays() -> None:
    friday = datetime(2026, 11, 27, 12, tzinfo=WIB)
    assert working_days_between(friday, friday.replace(day=30, hour=12)) == pytest.approx(1.0)  # Fri noon -> Mon noon
    christmas_eve = datetime(2026, 12, 24, 0, tzinfo=WIB)  # 25 December is a holiday, 24th cuti bersama
    assert working_days_between(christmas_eve, christmas_eve.replace(day=26)) < 1.0
    assert working_days_between(friday, friday) == 0


def test_the_index_follows_a_request_whose_agency_changes_later_and_keeps_it_on_status_changes(
    sessions, reference
) -> None:
    batches = [
        [request("e1", "MDN-0009", "received", at(23, 9), "kesehatan", "Dinas Kesehatan")],
        [request("e2", "MDN-0009", "verified", at(23, 10), "kesehatan", "Dinas Kesehatan")],  # nothing indexed moves
        [request("e3", "MDN-0009", "dispatched", at(23, 11), "kesehatan", "RSUD Pirngadi")],  # another agency
    ]
    for n, batch in enumerate(batches):
        with sessions.begin() as s:
            archive_batch(s, [to_record(validate_event(e, reference, NOW)) for e in batch], reference)
        with sessions() as s:
            assert _found(s, "12", "kesehatan") == [("12.71", "MDN-0009")]  # its category, at every step
            assert _found(s, "12", "pirngadi") == ([("12.71", "MDN-0009")] if n == 2 else [])
            assert _found(s, "12", "dinas") == ([] if n == 2 else [("12.71", "MDN-0009")])


def test_a_province_keeps_its_own_matches_when_another_has_more_newer_ones(sessions, session, monkeypatch) -> None:
    """Provinces share one database: the ranking's window of newest matches is taken within the province asked
    for, so another province's newer matches cannot push a province's own out of its search."""
    monkeypatch.setattr("store.history.search.RANKED_WINDOW", 3)
    jatim = load_reference("35")
    newer = [
        titled(
            request(f"j{n}", f"SBY-{n:04d}", "received", at(27, 9, n), "jalan_jembatan", "Dinas PU", "35.78"), "Jalan"
        )
        for n in range(5)
    ]
    with sessions.begin() as s:
        archive_batch(s, [to_record(validate_event(e, jatim, NOW)) for e in newer], jatim)
    assert len(_found(session, "35", "jalan")) == 3  # the window, within the province
    assert set(_found(session, "12", "jalan")) == {("12.71", "MDN-0001"), ("12.71", "MDN-0002")}
