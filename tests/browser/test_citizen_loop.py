"""In Chromium, one request end to end: a citizen's text message through the SMS gateway, tracked by its number and
code on a 390 px phone, its breached deadline e-mailed (a real SMTP server) and acknowledged through the e-mail's
link, and its notice on `/ops` before and after. The app, the archive and the notices share the test's frozen
clock, moved on past the deadline."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
import requests
from aiosmtpd.controller import Controller
from argon2 import PasswordHasher
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import store.access.accounts as auth
from dashboard.kit import ids
from store.contract.keys import Keys
from store.contract.notice_standing import NoticeStanding
from store.contract.reference import load_reference
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade
from store.history.models import ServiceRequest
from store.live.cycle import CycleRunner
from store.live.state import LiveState
from store.notices.contacts import load_contacts
from store.notices.deliver import EmailSender, deliver_due
from store.notices.links import ack_link
from store.notices.rules import rules_of
from store.notices.standing import publish_standing
from tests.support.accessibility import serious_findings
from tests.support.clock import freeze_clock
from tests.support.faults import free_port
from tests.support.texts import untranslated_keys
from tests.support.wall import NEXT_FRAMES, SHOW_STEP
from workers.archive import archive_batch
from workers.notices import check_province
from wsgi import create_server

pytestmark = pytest.mark.browser
TOKEN = "browser-gateway-token-0123456789"
ADMIN_PASSWORD = "browser-loop-admin-password"
SECRET = "browser-loop"
SENT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB


def _main(driver) -> str:
    """The page's text, read in one step: a page being left for the next has no element to go stale."""
    return driver.execute_script("return document.querySelector('main')?.innerText") or ""


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def test_a_text_message_is_tracked_escalated_acknowledged_and_seen_on_ops(
    dash_duo, redis_client, redis_url, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    freeze_clock(monkeypatch, SENT)
    port, smtp_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    settings = Settings(
        redis_url=redis_url,
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        secret_key=SECRET,
        tracking_key="browser-loop-tracking",
        ingest_tokens={TOKEN: "sms-gateway@12"},
        admin_password=ADMIN_PASSWORD,
        public_url=base,
    )
    upgrade(settings.sqlalchemy_url())
    dash_duo.start_server(create_server(settings, redis_client), navigate=False, port=port)
    driver = dash_duo.driver

    # 1. A citizen in Medan texts the command centre's number; the gateway posts it and sends our reply back.
    message = {
        "MessageSid": "SM-loop-1",
        "From": "+6281234567890",
        "Body": "LAPOR SEHAT MEDAN Puskesmas tutup sejak pagi",
    }
    answer = requests.post(f"{base}/api/v1/gateway/sms?token={TOKEN}", data=message, timeout=10).json()
    assert answer["accepted"] and answer["reply"].startswith("Laporan diterima. Nomor: 12.71:SMS-")
    tracking = answer["tracking"]
    assert f"Kode cek: {tracking['code']}" in answer["reply"]
    reference = load_reference("12")
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    with sessions.begin() as session:  # as the archive worker does
        archive_batch(session, [f["e"] for _, f in redis_client.xrange(Keys("12").events)], reference)

    # 2. The citizen tracks it on a small phone with the number and code from the reply.
    driver.set_window_size(390, 844)
    driver.get(f"{base}/lacak")
    driver.find_element(By.NAME, "nomor").send_keys(tracking["number"])
    driver.find_element(By.NAME, "kode").send_keys(tracking["code"].lower())  # typed as it comes
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "Dinas Kesehatan" in _main(d))
    page = _main(driver)
    assert "Diterima" in page and "Masih dalam tenggat" in page and "23-11-2026 09:00 WIB" in page
    assert "Puskesmas" not in page and "6281234567890" not in page  # nothing personal, no title unless screened
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert len(requests.get(tracking["url"], timeout=10).content) < 50_000
    assert serious_findings(driver) == []

    # 3. Its deadline passes unanswered: the notices worker e-mails the OPD, with the link that acknowledges it.
    with sessions() as session:
        due = session.get(ServiceRequest, tuple(tracking["number"].split(":", 1))).due_at
    later = due + timedelta(hours=1)
    freeze_clock(monkeypatch, later)
    contacts_file = tmp_path / "contacts.csv"
    contacts_file.write_text(
        "province,tier,regency,opd,email,webhook_url\n12,opd,12.71,Dinas Kesehatan Kota Medan,dinkes@medan.example,\n",
        encoding="utf-8",
    )
    rules = [r for r in rules_of("12", settings.notice_rules_file()) if r.name == "deadline_breached"]
    assert check_province(sessions, "12", tuple(rules), load_contacts(contacts_file), later) == (1, 0)
    mailbox = _Mailbox()
    server = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        senders = {"email": EmailSender("127.0.0.1", smtp_port, "pusat-komando@sumut.example")}
        assert deliver_due(sessions, senders, lambda: later, lambda e, to: ack_link(SECRET, base, e, to)) == 1
    finally:
        server.stop()
    [mail] = mailbox.messages
    assert mail["To"] == "dinkes@medan.example" and tracking["number"] in mail["Subject"]
    link = re.search(r"(http://\S+/notices/ack/\S+)", mail.get_content()).group(1)

    # 4. On /ops an operator sees it awaiting acknowledgement, the outbox's delivery counted.
    driver.set_window_size(1920, 1080)
    driver.get(f"{base}/masuk?next=/ops")
    driver.find_element(By.NAME, "username").send_keys("admin")
    driver.find_element(By.NAME, "password").send_keys(ADMIN_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    def notices(d) -> str:  # read in one step: the panel is redrawn every few seconds
        return d.execute_script("return document.getElementById(arguments[0])?.innerText", ids.OPS_NOTICES) or ""

    wait = WebDriverWait(driver, 20)
    wait.until(lambda d: tracking["number"] in notices(d))
    assert "Pemberitahuan tenggat: 1 menunggu tanggapan" in notices(driver)
    assert "1 terkirim" in notices(driver) and "tenggat penyelesaian terlewati" in notices(driver)
    assert untranslated_keys(driver.find_element(By.TAG_NAME, "body").text) == []

    # 4b. The wall, from the count the worker publishes after its pass, carried by the live worker's cycle.
    publish_standing(sessions, redis_client, settings, "12", later)
    CycleRunner(LiveState(redis_client, load_reference("12"))).publish(later)
    driver.get(f"{base}/")
    wait.until(
        lambda d: d.execute_script(
            "return typeof wall !== 'undefined' && Boolean(wall.follower && wall.follower.model)"
        )
    )
    step = driver.execute_script(
        "return [...document.querySelectorAll('.tour-step')].findIndex(s => s.querySelector('.notices'))"
    )
    driver.execute_script(SHOW_STEP, step)
    driver.execute_async_script(NEXT_FRAMES)
    panel = driver.execute_script("return document.getElementById(arguments[0]).innerText", ids.WALL_NOTICES)
    assert "Menunggu tanggapan\n1" in panel and "Tenggat terlewati\n1" in panel, panel
    assert "Dinas Kesehatan Kota Medan\n1" in panel, panel  # the OPD, with the escalations awaiting it

    # 5. The OPD opens the e-mail's link on a phone and confirms: the escalation stops, in its name.
    driver.set_window_size(390, 844)
    driver.get(link)
    assert "Tandai sudah ditangani" in _main(driver)  # opening acknowledges nothing
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "Terima kasih" in _main(d))
    assert "dinkes@medan.example" in _main(driver)
    # The app counted again: the wall's next cycle has nothing awaiting.
    assert NoticeStanding.from_json(redis_client.get(Keys("12").notice_standing)).awaiting == 0

    # 6. /ops shows nothing awaiting any more; the delivery stays counted.
    driver.set_window_size(1920, 1080)
    driver.get(f"{base}/ops")
    wait.until(lambda d: "0 menunggu tanggapan" in notices(d))
    assert "Tidak ada yang menunggu tanggapan" in notices(driver) and "1 terkirim" in notices(driver)
    assert json.dumps(dash_duo.get_logs()) == "[]"
    sessions.kw["bind"].dispose()
