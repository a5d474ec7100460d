"""Deadline notices and escalation over a real archive (SQLite, or PostgreSQL with DATABASE_URL), sent to a real
SMTP server (aiosmtpd) and a real HTTP receiver, with faults: each rule fires once when its moment passes, an
unacknowledged escalation climbs tier by tier, and no notice is lost or doubled while the receivers are down,
slow or answering 500."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

from aiosmtpd.controller import Controller
from sqlalchemy import select

from store.contract.calendar import WIB
from store.contract.events import to_record, validate_event
from store.contract.paths import DATA_DIR
from store.contract.reference import load_reference
from store.notices.contacts import load_contacts, reachable
from store.notices.deliver import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    EmailSender,
    WebhookSender,
    deliver_due,
)
from store.notices.escalate import acknowledge
from store.notices.links import ack_link, acknowledgement_of
from store.notices.models import FAILED, PENDING, SENT, Escalation, Notice
from store.notices.outbox import awaiting, per_opd
from store.notices.rules import breach_rules, rules_of
from tests.integration.test_history_queries import request
from tests.support.faults import free_port
from workers.archive import archive_batch
from workers.notices import check_province

SECRET = "notice-webhook-secret"
RECEIVED = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)  # Monday; kesehatan is due within 2 working days


def _archive(sessions, events) -> None:
    reference = load_reference("12")
    with sessions.begin() as session:
        records = [to_record(validate_event(event, reference, datetime.fromisoformat(event["ts"]))) for event in events]
        archive_batch(session, records, reference)


def _event(event_id: str, request_id: str, status: str, at: datetime, opd: str = "Dinas Kesehatan") -> dict:
    return request(event_id, request_id, status, at.isoformat(), "kesehatan", opd)


def _contacts(tmp_path: Path, smtp_port: int, hook_port: int) -> tuple:
    table = tmp_path / "contacts.csv"
    table.write_text(
        "province,tier,regency,opd,email,webhook_url\n"
        f"12,opd,12.71,Dinas Kesehatan,dinkes@medan.example,http://127.0.0.1:{hook_port}/hook\n"
        "12,kominfo,12.71,,kominfo@medan.example,\n"
        "12,command_centre,,,piket@sumut.example,\n",
        encoding="utf-8",
    )
    return load_contacts(table)


def _raised(sessions) -> list[tuple[str, str, str]]:
    with sessions() as session:
        rows = session.scalars(select(Escalation).order_by(Escalation.id)).all()
        return [(e.request_id, e.rule, e.tier) for e in rows]


def test_each_rule_fires_once_when_its_moment_passes(sessions, tmp_path) -> None:
    _archive(sessions, [_event("a1", "MDN-1", "received", RECEIVED)])
    rules = rules_of("12", DATA_DIR / "notice_rules.csv")
    contacts = _contacts(tmp_path, 1, 1)
    # Received Monday 09:00 WIB, due Wednesday 23:59:59: 2.625 working days. Half of them have passed on Tuesday
    # at 16:30, three quarters on Wednesday at 08:15; forwarding (3 working days) is half-way on Tuesday at 21:00.
    passes = {
        (23, 10): [],
        (24, 16): [],
        (24, 17): ["deadline_half"],
        (24, 22): ["forwarding_half"],
        (25, 9): ["deadline_three_quarters"],
        (26, 0): ["deadline_breached"],
        (26, 10): ["forwarding_late"],
        (26, 11): [],
        (30, 11): [],
    }
    check_province(sessions, "12", rules, contacts, RECEIVED)  # the first pass: the window starts here
    for (day, hour), new in passes.items():
        before = [rule for _, rule, _ in _raised(sessions)]
        check_province(sessions, "12", rules, contacts, datetime(2026, 11, day, hour, tzinfo=WIB).astimezone(UTC))
        assert [rule for _, rule, _ in _raised(sessions)] == before + new, (day, hour)
    with sessions() as session:
        notices = session.scalars(select(Notice)).all()
        # The OPD's rules told the Dinas Kesehatan by e-mail and webhook, the forwarding ones Kominfo by e-mail; the
        # breaches, unacknowledged, climbed to Kominfo and then the command centre.
        told = {(n.tier, n.channel) for n in notices}
        assert told == {("opd", "webhook"), ("opd", "email"), ("kominfo", "email"), ("command_centre", "email")}
        assert len({n.idempotency_key for n in notices}) == len(notices)


def test_a_request_closed_in_time_sets_nothing_off(sessions, tmp_path) -> None:
    _archive(
        sessions,
        [
            _event("b1", "MDN-2", "received", RECEIVED),
            _event("b2", "MDN-2", "resolved", RECEIVED + timedelta(hours=2)),
        ],
    )
    rules = rules_of("12", DATA_DIR / "notice_rules.csv")
    check_province(sessions, "12", rules, (), RECEIVED)
    check_province(sessions, "12", rules, (), RECEIVED + timedelta(days=10))
    assert _raised(sessions) == []


def test_a_request_that_bounces_between_agencies_tells_kominfo_once(sessions, tmp_path) -> None:
    hour = timedelta(hours=1)
    agencies = ["Dinas Kesehatan", "Dinas Sosial", "Dinas Kesehatan", "RSUD Pirngadi"]
    events = [_event("r0", "MDN-7", "received", RECEIVED, agencies[0])]
    events += [_event(f"h{n}", "MDN-7", "dispatched", RECEIVED + n * hour, opd) for n, opd in enumerate(agencies)]
    events += [_event("i0", "MDN-8", "received", RECEIVED), _event("i1", "MDN-8", "dispatched", RECEIVED + hour)]
    _archive(sessions, events[:4])  # two moves so far
    rules = [r for r in rules_of("12", DATA_DIR / "notice_rules.csv") if r.name == "bounced"]
    contacts = _contacts(tmp_path, 1, 1)
    check_province(sessions, "12", rules, contacts, RECEIVED + 2 * hour)
    assert _raised(sessions) == []
    _archive(sessions, events[4:])  # the third move
    for later in (5, 6):
        check_province(sessions, "12", rules, contacts, RECEIVED + later * hour)
    assert _raised(sessions) == [("MDN-7", "bounced", "kominfo")]
    with sessions() as session:
        assert session.execute(select(Notice.tier, Notice.recipient)).all() == [("kominfo", "kominfo@medan.example")]


def test_recipients_no_sender_can_reach_are_left_out(tmp_path) -> None:
    contacts = _contacts(tmp_path, 1, 2)
    kept, dropped = reachable(contacts, {"email"})
    assert [r.address for r in dropped] == ["http://127.0.0.1:2/hook"]
    assert all(r.channel == "email" for c in kept for r in c.recipients) and len(kept) == 3


def test_a_request_the_archive_wrote_late_is_still_caught_but_old_news_is_not_sent(sessions, tmp_path) -> None:
    rules = [r for r in rules_of("12", DATA_DIR / "notice_rules.csv") if r.name == "deadline_half"]
    check_province(sessions, "12", rules, (), datetime(2026, 11, 24, 17, tzinfo=WIB))
    # Half its deadline passed on Tuesday at 16:30; the archive writes it only at 18:00: the next pass raises it.
    _archive(sessions, [_event("f1", "MDN-5", "received", RECEIVED)])
    check_province(sessions, "12", rules, (), datetime(2026, 11, 24, 18, tzinfo=WIB))
    assert _raised(sessions) == [("MDN-5", "deadline_half", "opd")]
    # One whose moment passed more than a day before anyone saw it is not news to send.
    _archive(sessions, [_event("g1", "MDN-6", "received", RECEIVED)])
    check_province(sessions, "12", rules, (), datetime(2026, 11, 27, 10, tzinfo=WIB))
    assert _raised(sessions) == [("MDN-5", "deadline_half", "opd")]


def test_an_unacknowledged_escalation_climbs_until_someone_acknowledges(sessions, tmp_path) -> None:
    _archive(sessions, [_event("c1", "MDN-3", "received", RECEIVED), _event("d1", "MDN-4", "received", RECEIVED)])
    rules = [r for r in rules_of("12", DATA_DIR / "notice_rules.csv") if r.name == "deadline_breached"]
    contacts = _contacts(tmp_path, 1, 1)
    due = datetime(2026, 11, 25, 23, 59, 59, tzinfo=WIB)
    check_province(sessions, "12", rules, contacts, due - timedelta(minutes=5))
    check_province(sessions, "12", rules, contacts, due + timedelta(minutes=5))
    assert _raised(sessions) == [("MDN-3", "deadline_breached", "opd"), ("MDN-4", "deadline_breached", "opd")]
    with sessions.begin() as session:
        mdn4 = session.scalar(select(Escalation.id).where(Escalation.request_id == "MDN-4"))
        assert acknowledge(session, mdn4, "dinkes@medan.example", due + timedelta(minutes=30))
        assert not acknowledge(session, mdn4, "someone else", due + timedelta(minutes=31))  # once
    for hours in (4.2, 8.4, 12.6):
        check_province(sessions, "12", rules, contacts, due + timedelta(hours=hours))
    assert _raised(sessions) == [
        ("MDN-3", "deadline_breached", "command_centre"),  # four hours a tier, then the top
        ("MDN-4", "deadline_breached", "opd"),  # acknowledged: it stays
    ]
    with sessions() as session:
        told = session.execute(select(Notice.tier, Notice.recipient).order_by(Notice.id)).all()
    assert [tier for tier, _ in told if _ != "dinkes@medan.example"].count("command_centre") == 1
    assert ("kominfo", "kominfo@medan.example") in told and ("command_centre", "piket@sumut.example") in told
    # The desk's view per OPD: one escalation at the top awaiting someone, of a passed deadline; the acknowledged
    # one counts no more.
    with sessions() as session:
        standing = per_opd(session, "12", breach_rules(tuple(rules)), 10)
        waiting, total = awaiting(session, "12", 10)
    assert [(o.regency, o.opd, o.awaiting, o.breached) for o in standing] == [("12.71", "Dinas Kesehatan", 1, 1)]
    assert total == 1 and [(w.request_id, w.tier) for w in waiting] == [("MDN-3", "command_centre")]


def test_the_ack_link_names_its_escalation_and_recipient_and_cannot_be_forged() -> None:
    link = ack_link("s3cret", "https://komando.example", 42, "dinkes@medan.example")
    token = link.rsplit("/", 1)[1]
    assert link.startswith("https://komando.example/notices/ack/")
    assert acknowledgement_of("s3cret", token) == (42, "dinkes@medan.example")
    assert acknowledgement_of("other", token) is None and acknowledgement_of("s3cret", token[:-2]) is None


class _Mailbox:
    """aiosmtpd's handler: every message the server accepted."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


class _Hook(BaseHTTPRequestHandler):
    """A webhook receiver that checks the signature and remembers what it took, by idempotency key."""

    mode = "ok"  # "ok", "slow" (answers after the sender gave up) or "error" (500)
    taken: ClassVar[Counter] = Counter()
    bad_signatures = 0

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        signed = self.headers[TIMESTAMP_HEADER].encode() + b"." + body
        expected = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, self.headers[SIGNATURE_HEADER]):
            type(self).bad_signatures += 1
        if self.mode == "error":
            self.send_response(500)
            self.end_headers()
            return
        if self.mode == "slow":
            time.sleep(0.6)
        key = json.loads(body)["idempotency_key"]
        assert key == self.headers["Idempotency-Key"]
        type(self).taken[key] += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_no_notice_is_lost_or_doubled_while_the_receivers_fail(sessions, tmp_path) -> None:
    smtp_port, hook_port = free_port(), free_port()
    contacts = _contacts(tmp_path, smtp_port, hook_port)
    events = [_event(f"e{n}", f"MDN-{100 + n}", "received", RECEIVED + timedelta(minutes=n)) for n in range(6)]
    _archive(sessions, events)
    rules = [r for r in rules_of("12", DATA_DIR / "notice_rules.csv") if r.name == "deadline_half"]
    check_province(sessions, "12", rules, contacts, RECEIVED)
    check_province(sessions, "12", rules, contacts, RECEIVED + timedelta(days=2))
    with sessions() as session:
        expected = Counter(session.scalars(select(Notice.channel)).all())
    assert expected == {"email": 6, "webhook": 6}

    now = [RECEIVED + timedelta(days=2)]
    senders = {
        "email": EmailSender("127.0.0.1", smtp_port, "pusat-komando@sumut.example", timeout=0.5),
        "webhook": WebhookSender(SECRET, timeout=0.3),
    }

    def deliver() -> int:
        return deliver_due(sessions, senders, lambda: now[0], lambda e, to: f"https://k.example/notices/ack/{e}")

    def minutes_pass(minutes: float) -> None:
        now[0] += timedelta(minutes=minutes)

    # A minute with both down: nothing listens on their ports. Every attempt fails, is retried later, none lost.
    for _ in range(4):
        assert deliver() == 0
        minutes_pass(0.25)
    with sessions() as session:
        assert session.scalar(select(Notice.attempts).order_by(Notice.attempts).limit(1)) >= 1
        assert all(n.status == PENDING and n.last_error for n in session.scalars(select(Notice)))

    mailbox = _Mailbox()
    mail = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    hook = ThreadingHTTPServer(("127.0.0.1", hook_port), _Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    mail.start()
    try:
        _Hook.mode = "error"  # back, but failing: the e-mails go, the webhooks wait
        minutes_pass(60)
        assert deliver() == 6 and len(mailbox.messages) == 6
        _Hook.mode = "slow"  # it takes them, but answers after the sender gave up: sent again, same key
        minutes_pass(60)
        assert deliver() == 0
        _Hook.mode = "ok"
        minutes_pass(60)
        assert deliver() == 6
        minutes_pass(600)
        assert deliver() == 0  # nothing left, nothing again
    finally:
        mail.stop()
        hook.shutdown()

    with sessions() as session:
        notices = session.scalars(select(Notice)).all()
    assert {n.status for n in notices} == {SENT}
    keys = {n.idempotency_key for n in notices if n.channel == "webhook"}
    assert set(_Hook.taken) == keys  # every webhook notice arrived...
    assert all(count in (1, 2) for count in _Hook.taken.values())  # ...twice only when the answer was lost
    assert _Hook.bad_signatures == 0
    ids = [m["Message-ID"] for m in mailbox.messages]
    assert len(ids) == len(set(ids)) == 6  # every e-mail once, each with its own Message-ID
    assert "Laporan 12.71:MDN-10" in mailbox.messages[0].get_payload()
    assert all(n.status != FAILED for n in notices)
