"""A citizen tracks a request by its number and check code, on the real app (`wsgi.create_server`: the pages, our
API and Open311) over a real Redis and SQLite: intake hands the number and code back, the page answers only that
pair, shows nothing personal, and limits each address's look-ups."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from store.access.accounts import provision_from_settings
from store.contract.events import to_record, validate_event
from store.contract.keys import Keys
from store.contract.reference import load_reference
from store.contract.settings import Settings
from store.contract.tracking import check_code
from store.history.db import make_sessionmaker, upgrade
from tests.integration.test_history_queries import at, request
from tests.integration.test_request_search import EVENTS, NOW, titled
from tests.support.clock import freeze_clock
from workers.archive import archive_batch
from wsgi import create_server

KEY = "tracking-key-for-tests"
INGEST_TOKEN = "tracking-ingest-token-0123456789"
PHONE_TITLE = "Lampu jalan mati, hubungi 0812-3456-7890"
EXTRA = [
    titled(request("e1", "MDN-0003", "received", at(2, 10), "jalan_jembatan", "Dinas PUPR"), PHONE_TITLE),
]


def _settings(tmp_path, redis_url: str, **fields) -> Settings:
    values = {
        "redis_url": redis_url,
        "database_url": f"sqlite:///{tmp_path / 'app.db'}",
        "secret_key": "tracking",
        "tracking_key": KEY,
        "ingest_tokens": {INGEST_TOKEN: "kota-medan"},
        "public_url": "https://lapor.example.go.id",
        **fields,
    }
    return Settings(**values)


@pytest.fixture
def app_for(tmp_path, redis_client, redis_url, monkeypatch):
    """The app over an archive holding the requests of `test_request_search` (and one whose title holds a phone)."""
    freeze_clock(monkeypatch, NOW)
    reference = load_reference("12")
    made = []

    def build(**fields):
        settings = _settings(tmp_path, redis_url, **fields)
        upgrade(settings.sqlalchemy_url())
        sessions = make_sessionmaker(settings.sqlalchemy_url())
        made.append(sessions)
        with sessions.begin() as session:
            archive_batch(session, [to_record(validate_event(e, reference, NOW)) for e in EVENTS + EXTRA], reference)
            provision_from_settings(session, settings)
        return create_server(settings, redis_client).server.test_client(), sessions

    yield build
    for sessions in made:
        sessions.kw["bind"].dispose()


def _track(client, number: str, code: str, lang: str = "id", address: str = "203.0.113.7"):
    return client.get(
        "/lacak", query_string={"nomor": number, "kode": code, "lang": lang}, environ_base={"REMOTE_ADDR": address}
    )


def _text(answer) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.get_data(as_text=True)))


def test_the_right_code_shows_the_request_and_nothing_personal(app_for) -> None:
    client, _ = app_for()
    code = check_code(KEY, "12.71", "MDN-0002")
    answer = _track(client, "12.71:MDN-0002", code)
    page = _text(answer)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    # Received Thursday 26 November 10:00 WIB; air_bersih is due within its working days, read on Friday 13:00.
    assert "Diterima" in page and "PDAM Tirtanadi" in page and "26-11-2026 10:00 WIB" in page
    assert "Kabupaten/kota Kota Medan" in page  # the regency by its name, kabupaten or kota
    assert re.search(r"Masih dalam tenggat: sisa \d+,\d hari kerja\.", page), page
    assert "Air keruh" not in page  # titles are published only where the province screens them (OPEN311_TITLES)
    # Light: no script, nothing else to fetch, well under 50 KB.
    body = answer.get_data(as_text=True)
    assert "<script" not in body and "src=" not in body and "stylesheet" not in body
    assert len(answer.data) < 50_000

    # Typed as people type it: lower case, spaces, 0 for O.
    sloppy = " ".join(code.lower()).replace("o", "0")
    assert _track(client, " 12.71:MDN-0002 ", sloppy).status_code == 200

    english = _text(_track(client, "12.71:MDN-0002", code, lang="en"))
    assert "Received" in english and "Within its deadline" in english and "working days left" in english


def test_a_resolved_request_reads_its_path_and_its_standing(app_for) -> None:
    client, _ = app_for()
    answer = _track(client, "12.71:MDN-0001", check_code(KEY, "12.71", "MDN-0001"))
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200
    steps = re.findall(r'<li class="(\w+)">([^<]+)</li>', body)
    assert steps == [
        ("done", "Diterima"),
        ("done", "Diverifikasi"),
        ("done", "Diteruskan"),
        ("done", "Dikerjakan"),
        ("now", "Selesai"),
    ]
    assert "Dinas Perhubungan" in body and "Selesai dalam tenggat." in body


def test_a_wrong_code_reads_as_an_unknown_number(app_for) -> None:
    client, _ = app_for()
    wrong = _track(client, "12.71:MDN-0002", check_code(KEY, "12.71", "MDN-0001"))
    unknown = _track(client, "12.71:NOPE-1", check_code(KEY, "12.71", "NOPE-2"))
    shapeless = _track(client, "MDN-0002", "ABCDEF")
    other_province = _track(client, "35.78:MDN-0002", check_code(KEY, "35.78", "MDN-0002"))
    for answer in (wrong, unknown, shapeless, other_province):
        assert answer.status_code == 404
        assert "tidak cocok dengan laporan mana pun" in _text(answer)
        assert "PDAM" not in _text(answer)
    # A number handed out whose first event the archive has not written yet: known, not yet shown.
    pending = _track(client, "12.71:NEW-1", check_code(KEY, "12.71", "NEW-1"))
    assert pending.status_code == 200 and "dalam beberapa menit" in _text(pending)


def test_titles_are_screened_where_the_province_publishes_them(app_for) -> None:
    client, _ = app_for(open311_titles="screened")
    page = _text(_track(client, "12.71:MDN-0003", check_code(KEY, "12.71", "MDN-0003")))
    assert "Lampu jalan mati" in page and "3456" not in page and "[…]" in page


def test_each_address_has_its_look_ups_a_minute(app_for, redis_client) -> None:
    client, _ = app_for(tracking_reads_per_minute=3)
    code = check_code(KEY, "12.71", "MDN-0002")
    answers = [_track(client, "12.71:MDN-0002", code, address="198.51.100.1").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = _track(client, "12.71:MDN-0002", code, address="198.51.100.1")
    assert 1 <= int(limited.headers["Retry-After"]) <= 60 and "PDAM" not in _text(limited)
    assert _track(client, "12.71:MDN-0002", code, address="198.51.100.2").status_code == 200  # another address
    assert _track(client, "", "", address="198.51.100.1").status_code == 200  # the empty form is not a look-up


def test_without_a_tracking_key_the_page_says_so_and_intake_hands_out_no_codes(app_for) -> None:
    client, _ = app_for(tracking_key=None)
    answer = _track(client, "12.71:MDN-0002", check_code(KEY, "12.71", "MDN-0002"))
    assert answer.status_code == 404 and "belum tersedia" in _text(answer)
    posted = client.post(
        "/api/v1/events",
        data=json.dumps(request("n1", "NEW-1", "received", at(27, 9), "kesehatan", "Dinas Kesehatan")),
        content_type="application/json",
        headers={"Authorization": f"Bearer {INGEST_TOKEN}"},
    )
    assert posted.status_code == 202 and posted.get_json()["tracking"] == []


def test_intake_hands_back_the_number_and_code_that_open_the_page(app_for, redis_client) -> None:
    client, sessions = app_for()
    reference = load_reference("12")
    body = [
        request("n1", "NEW-1", "received", at(27, 9), "kesehatan", "Dinas Kesehatan"),
        request("n2", "MDN-0002", "verified", at(27, 9), "air_bersih", "PDAM Tirtanadi"),  # not new: no receipt
        {"event_id": "bad"},
        request("n3", "NEW-2", "received", at(27, 10), "kesehatan", "Dinas Kesehatan", regency="12.04"),
    ]
    posted = client.post(
        "/api/v1/events",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {INGEST_TOKEN}"},
    ).get_json()
    assert [(r["index"], r["number"]) for r in posted["tracking"]] == [(0, "12.71:NEW-1"), (3, "12.04:NEW-2")]
    first = posted["tracking"][0]
    assert first["code"] == check_code(KEY, "12.71", "NEW-1")
    url = urlsplit(first["url"])
    assert (url.scheme, url.netloc, url.path) == ("https", "lapor.example.go.id", "/lacak")

    # Open311's POST hands them back too, in its notice and as fields of their own.
    form = {
        "api_key": INGEST_TOKEN,
        "service_code": "kesehatan",
        "attribute[regency]": "12.71",
        "description": "Puskesmas tutup",
    }
    answer = client.post("/open311/v2/requests.json", data=form).get_json()[0]
    number = answer["service_request_id"]
    assert answer["tracking_code"] == check_code(KEY, *number.split(":", 1))
    assert f"Kode cek: {answer['tracking_code']}" in answer["service_notice"]

    # Once the archive has the stream's events, the handed-out link shows the request.
    records = [fields["e"] for _, fields in redis_client.xrange(Keys("12").events)]
    with sessions.begin() as session:
        archive_batch(session, records, reference)
    shown = client.get(url.path + "?" + url.query, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert shown.status_code == 200 and "Dinas Kesehatan" in _text(shown)
    opened = _track(client, number, answer["tracking_code"])
    assert opened.status_code == 200 and "Diterima" in _text(opened)
