"""Sending the outbox: each pending notice whose time has come, by e-mail over SMTP or as a signed webhook.

A notice is sent, then marked sent in its own transaction: a crash between the two sends it again, with the same
idempotency key (the e-mail's `Message-ID`, the webhook's `Idempotency-Key`), so the receiver can tell. A failure
(the server down, slow past `TIMEOUT_SECONDS`, or answering anything but 2xx) schedules the next attempt after a
doubling wait, from `FIRST_RETRY` to `LAST_RETRY`; after `MAX_ATTEMPTS` the notice is failed and shows on `/ops`.
On PostgreSQL each notice is claimed with `FOR UPDATE SKIP LOCKED`, so several workers never send one at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, Protocol

import requests
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store.contract.settings import Settings
from store.history.models import ServiceRequest
from store.notices.models import FAILED, PENDING, SENT, Escalation, Notice
from store.notices.texts import notice_text

TIMEOUT_SECONDS = 10
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)
MAX_ATTEMPTS = 20  # about 14 hours of retries
SIGNATURE_HEADER = "X-Signature-SHA256"  # hex HMAC-SHA256 of "<timestamp>.<body>" under NOTICE_WEBHOOK_SECRET
TIMESTAMP_HEADER = "X-Timestamp"


class DeliveryError(Exception):
    """The recipient's server did not take the notice; the message says why."""


class Sender(Protocol):
    def __call__(self, notice: Notice, payload: dict[str, Any], now: datetime) -> None: ...


@dataclass(frozen=True)
class EmailSender:
    """E-mail through the SMTP relay of the settings (`SMTP_*`)."""

    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = TIMEOUT_SECONDS

    def __call__(self, notice: Notice, payload: dict[str, Any], now: datetime) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = notice.recipient
        message["Subject"] = payload["subject"]
        message["Date"] = format_datetime(now)
        message["Message-ID"] = f"<{notice.idempotency_key}@pusat-komando>"
        message["Idempotency-Key"] = notice.idempotency_key
        message.set_content(payload["text"])
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username and self.password:
                    smtp.login(self.username, self.password)
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"smtp {self.host}:{self.port}: {exc}") from exc


@dataclass(frozen=True)
class WebhookSender:
    """A JSON POST signed with HMAC-SHA256, the form WhatsApp and Telegram gateways and chat tools take."""

    secret: str
    timeout: float = TIMEOUT_SECONDS

    def __call__(self, notice: Notice, payload: dict[str, Any], now: datetime) -> None:
        body = json.dumps({"idempotency_key": notice.idempotency_key, **payload}, ensure_ascii=False).encode()
        timestamp = str(int(now.timestamp()))
        signature = hmac.new(self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": notice.idempotency_key,
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature,
        }
        try:
            answer = requests.post(notice.recipient, data=body, headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            raise DeliveryError(f"webhook: {type(exc).__name__}: {exc}") from exc
        if not 200 <= answer.status_code < 300:
            raise DeliveryError(f"webhook: answered {answer.status_code}")


def senders_of(settings: Settings) -> dict[str, Sender]:
    """The channels this deployment sends on: e-mail when `SMTP_HOST` is set, webhooks when
    `NOTICE_WEBHOOK_SECRET` is."""
    senders: dict[str, Sender] = {}
    if settings.smtp_host:
        senders["email"] = EmailSender(
            settings.smtp_host,
            settings.smtp_port,
            settings.notice_from,
            settings.smtp_username,
            settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            settings.smtp_starttls,
        )
    if settings.notice_webhook_secret:
        senders["webhook"] = WebhookSender(settings.notice_webhook_secret.get_secret_value())
    return senders


def retry_after(attempts: int) -> timedelta:
    """The wait before the next attempt, after `attempts` failed ones."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LAST_RETRY)


def deliver_due(
    sessions: sessionmaker[Session],
    senders: dict[str, Sender],
    now: Callable[[], datetime],
    ack_link: Callable[[int, str], str],
    limit: int = 100,
) -> int:
    """Send the pending notices whose time has come (at most `limit`); returns how many were sent."""
    sent = 0
    for _ in range(limit):
        with sessions.begin() as session:
            notice = _claim(session, list(senders), now())
            if notice is None:
                return sent
            moment = now()
            payload = _payload(session, notice, ack_link)
            try:
                senders[notice.channel](notice, payload, moment)
            except DeliveryError as exc:
                notice.attempts += 1
                notice.last_error = str(exc)[:2000]
                if notice.attempts >= MAX_ATTEMPTS:
                    notice.status, notice.next_attempt_at = FAILED, None
                else:
                    notice.next_attempt_at = moment + retry_after(notice.attempts)
                continue
            notice.attempts += 1
            notice.status, notice.sent_at, notice.next_attempt_at = SENT, moment, None
            sent += 1
    return sent


def _claim(session: Session, channels: list[str], now: datetime) -> Notice | None:
    query = (
        select(Notice)
        .where(Notice.status == PENDING, Notice.next_attempt_at <= now, Notice.channel.in_(channels))
        .order_by(Notice.next_attempt_at, Notice.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalars(query).first()


def _payload(session: Session, notice: Notice, ack_link: Callable[[int, str], str]) -> dict[str, Any]:
    escalation = session.get(Escalation, notice.escalation_id)
    assert escalation is not None  # a notice goes with its escalation (ON DELETE CASCADE)
    request = session.get(ServiceRequest, (escalation.regency, escalation.request_id))
    return notice_text(escalation, request, ack_link(escalation.id, notice.recipient))
