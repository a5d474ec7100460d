"""Text messages from an SMS or WhatsApp gateway, on the real app (`wsgi.create_server`) over a real Redis and SQLite:
a keyword message becomes one request with a tracking number and code, a re-send counts once, a bad message gets a
short answer in Indonesian and a dead letter naming the field, and nothing of the sender is kept."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest

from store.access.accounts import provision_from_settings
from store.contract.keys import Keys
from store.contract.reference import load_reference
from store.contract.settings import Settings
from store.contract.tracking import check_code
from store.history.db import make_sessionmaker, upgrade
from store.history.models import ServiceRequest
from tests.integration.test_request_search import NOW
from tests.support.clock import freeze_clock
from workers.archive import archive_batch
from wsgi import create_server

TOKEN = "gateway-ingest-token-0123456789ab"
JATIM_TOKEN = "gateway-jatim-token-0123456789ab"
KEY = "gateway-tracking-key"
PHONE = "+6281234567890"


@pytest.fixture
def app(tmp_path, redis_client, redis_url, monkeypatch):
    freeze_clock(monkeypatch, NOW)
    settings = Settings(
        redis_url=redis_url,
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        secret_key="gateway",
        tracking_key=KEY,
        ingest_tokens={TOKEN: "sms-gateway@12", JATIM_TOKEN: "jatim-gateway@35"},  # each number serves its province
        provinces=("12", "35"),
        public_url="https://lapor.example.go.id",
    )
    upgrade(settings.sqlalchemy_url())
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    with sessions.begin() as session:
        provision_from_settings(session, settings)
    yield create_server(settings, redis_client).server.test_client(), sessions
    sessions.kw["bind"].dispose()


def _stream(redis_client, province: str = "12") -> list[dict]:
    return [json.loads(fields["e"]) for _, fields in redis_client.xrange(Keys(province).events)]


def _dead(redis_client, province: str = "12") -> list[dict]:
    return [dict(fields) for _, fields in redis_client.xrange(Keys(province).dead_letter)]


def _twilio(client, body: str, sid: str, token: str = TOKEN, reply: str = "twiml"):
    form = {"MessageSid": sid, "From": PHONE, "To": "+6261000000", "Body": body, "AccountSid": "AC0"}
    return client.post(f"/api/v1/gateway/sms?reply={reply}&token={token}", data=form)


def test_a_keyword_message_becomes_a_request_with_its_number_and_code(app, redis_client) -> None:
    client, sessions = app
    answer = _twilio(client, "LAPOR JALAN MEDAN Jalan berlubang di depan Pasar Petisah", "SM001")
    assert answer.status_code == 200 and answer.mimetype == "application/xml"
    reply = ElementTree.fromstring(answer.data).find("Message").text
    [event] = _stream(redis_client)
    number = f"12.71:{event['request_id']}"
    assert reply.startswith(
        f"Laporan diterima. Nomor: {number} Kode cek: {check_code(KEY, '12.71', event['request_id'])}."
    )
    assert "tenggat 10 hari kerja" in reply and "https://lapor.example.go.id/lacak" in reply
    assert event["request_id"].startswith("SMS-") and event["channel"] == "sms" and event["status"] == "received"
    assert event["category"] == "jalan_jembatan"
    assert event["opd"] == "Dinas Pekerjaan Umum dan Penataan Ruang Kota Medan"  # the category's agency, the regency's
    assert event["title"] == "Jalan berlubang di depan Pasar Petisah"
    assert "81234567890" not in json.dumps(_stream(redis_client))  # the sender's number is nowhere

    # The gateway sends it again (it did not hear our answer): the same number, and one request in the archive.
    again = _twilio(client, "LAPOR JALAN MEDAN Jalan berlubang di depan Pasar Petisah", "SM001")
    assert ElementTree.fromstring(again.data).find("Message").text == reply
    reference = load_reference("12")
    with sessions.begin() as session:
        archive_batch(session, [fields["e"] for _, fields in redis_client.xrange(Keys("12").events)], reference)
    with sessions() as session:
        assert session.query(ServiceRequest).filter_by(channel="sms").count() == 1


def test_whatsapp_gateways_post_json_and_read_it_back_as_text(app, redis_client) -> None:
    client, _ = app
    message = {"id": "wamid.HBgN", "phone": PHONE, "message": "lapor#air#deli serdang#air keruh sejak kemarin pagi"}
    answer = client.post(
        "/api/v1/gateway/whatsapp?reply=text", json=message, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert answer.status_code == 200 and answer.mimetype == "text/plain"
    [event] = _stream(redis_client)
    assert event["channel"] == "whatsapp" and event["request_id"].startswith("WA-")
    assert event["regency_code"] == "12.07" and event["category"] == "air_bersih"
    assert answer.get_data(as_text=True).startswith("Laporan diterima. Nomor: 12.07:WA-")


def test_bad_messages_get_a_helpful_answer_and_a_dead_letter(app, redis_client) -> None:
    client, _ = app
    cases = {
        "halo, jalan di desa kami rusak": ("Format: LAPOR <JENIS> <KAB/KOTA> <isi laporan>", "not a report"),
        "LAPOR ROKET MEDAN ada roket": ("Jenis 'ROKET' tidak dikenal. Pilih: JALAN, SAMPAH", "unknown keyword"),
        "LAPOR JALAN ATLANTIS jalan rusak parah": ("Kab/kota 'ATLANTIS' tidak dikenal", "names no regency"),
        "LAPOR JALAN MEDAN rusak": ("Isi laporan terlalu pendek", "too short"),
        "LAPOR JALAN SURABAYA jalan rusak parah": ("Kab/kota 'SURABAYA' tidak dikenal", "names no regency"),
    }
    for n, (body, (reply, _)) in enumerate(cases.items()):
        answer = client.post(f"/api/v1/gateway/sms?token={TOKEN}", data={"Body": body, "MessageSid": f"SM-bad-{n}"})
        assert answer.status_code == 200, body  # answered: the gateway must not send it again
        assert answer.get_json()["accepted"] is False and answer.get_json()["reply"].startswith(reply), answer.json
    assert _stream(redis_client) == []
    dead = _dead(redis_client)
    assert [d["error"].split(":", 1)[0] for d in dead] == ["text"] * len(cases)
    assert all(reason in d["error"] for d, (_, reason) in zip(dead, cases.values(), strict=True))
    assert all(PHONE not in d["raw"] for d in dead)

    # INFO is a question, not a mistake: it lists the keywords and leaves no dead letter.
    info = client.post(f"/api/v1/gateway/sms?token={TOKEN}", data={"Body": "info", "MessageSid": "SM-info"})
    assert info.get_json()["reply"].startswith("Jenis laporan: JALAN, SAMPAH, AIR") and len(_dead(redis_client)) == 5


def test_a_number_serves_its_provinces_only(app, redis_client) -> None:
    client, _ = app
    medan = client.post(
        f"/api/v1/gateway/sms?token={JATIM_TOKEN}", data={"Body": "LAPOR JALAN MEDAN jalan rusak parah", "id": "1"}
    )
    assert medan.get_json()["accepted"] is False and "'MEDAN' tidak dikenal" in medan.get_json()["reply"]
    # Jawa Timur has a kabupaten and a kota of Malang: the message must say which.
    malang = client.post(
        f"/api/v1/gateway/sms?token={JATIM_TOKEN}", data={"Body": "LAPOR JALAN MALANG jalan rusak parah", "id": "2"}
    )
    assert malang.get_json()["reply"] == "'MALANG' ada dua: tulis KAB MALANG atau KOTA MALANG."
    kota = client.post(
        f"/api/v1/gateway/sms?token={JATIM_TOKEN}", data={"Body": "LAPOR JALAN KOTA MALANG jalan rusak", "id": "3"}
    )
    assert kota.get_json()["accepted"] is True
    assert [e["regency_code"] for e in _stream(redis_client, "35")] == ["35.73"]


def test_without_a_gateway_id_the_sender_and_text_make_it_once(app, redis_client) -> None:
    client, _ = app
    form = {"from": PHONE, "text": "LAPOR SAMPAH 12.04 sampah menumpuk di pasar Gunungsitoli"}
    first = client.post(f"/api/v1/gateway/sms?token={TOKEN}", data=form).get_json()
    second = client.post(f"/api/v1/gateway/sms?token={TOKEN}", data=form).get_json()
    other = client.post(f"/api/v1/gateway/sms?token={TOKEN}", data={**form, "from": "+6281111111111"}).get_json()
    assert first["tracking"] == second["tracking"] and other["tracking"]["number"] != first["tracking"]["number"]
    assert first["tracking"]["number"].startswith("12.04:SMS-")


def test_integrators_get_clear_errors(app, redis_client) -> None:
    client, _ = app
    assert client.post("/api/v1/gateway/sms", data={"Body": "LAPOR"}).status_code == 401
    wrong = client.post(f"/api/v1/gateway/sms?token={TOKEN}", data={"pesan": "LAPOR JALAN MEDAN x"})
    assert wrong.status_code == 400 and wrong.get_json()["error"].startswith("text: missing")
    assert client.post(f"/api/v1/gateway/telegram?token={TOKEN}", data={"Body": "x"}).status_code == 404
    deep = "[" * 100_000 + "]" * 100_000
    nested = client.post(f"/api/v1/gateway/sms?token={TOKEN}", data=deep, content_type="application/json")
    assert nested.status_code == 400
    empty = client.post(f"/api/v1/gateway/sms?token={TOKEN}", data={"Body": "   ", "MessageSid": "SM-empty"})
    assert empty.status_code == 200 and empty.get_json()["reply"].startswith("Format: LAPOR")
    # Control characters (a phone's stray NUL, an escape) are spaces to us, not a reason to fail.
    odd = {"Body": "LAPOR\x00JALAN MEDAN jalan\x1b[31m rusak\u200b parah\x07", "MessageSid": "SM-odd"}
    answer = client.post(f"/api/v1/gateway/sms?token={TOKEN}", data=odd)
    assert answer.status_code == 200 and answer.get_json()["accepted"] is True
    assert _stream(redis_client)[-1]["title"] == "jalan [31m rusak parah"
