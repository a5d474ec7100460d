"""The notices worker: every `NOTICE_PASS_SECONDS`, for each province, the rules over its open requests
(`store.notices.escalate`), the climb of what nobody acknowledged, then the outbox sent (`store.notices.deliver`),
and the standing the wall shows published in Redis (`store.notices.standing`).

Each pass reads the province's open requests, then writes what they set off in one short transaction; a pass
that fails leaves it to the next, and the escalations' unique keys keep two workers from raising one twice.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

import redis
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from store.contract import clock
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, write_now
from store.notices.contacts import Contact, load_contacts, reachable
from store.notices.deliver import Sender, deliver_due, senders_of
from store.notices.escalate import climb, crossings, raise_escalations
from store.notices.links import ack_link
from store.notices.rules import Rule, rules_of
from store.notices.standing import publish_standing
from store.servers.command_line import StopSignal

log = logging.getLogger(__name__)


def check_province(
    sessions: sessionmaker[Session],
    province: str,
    rules: tuple[Rule, ...],
    contacts: tuple[Contact, ...],
    now: datetime,
) -> tuple[int, int]:
    """One pass of the province's rules at `now`: (escalations raised, escalations climbed). The open requests are
    read first; the database's write lock is held only to write what they set off."""
    with sessions() as session:
        found = crossings(session, province, rules, now)
    with sessions.begin() as session:
        write_now(session)
        raised = raise_escalations(session, province, found, contacts, now)
        climbed = climb(session, province, rules, contacts, now)
    return len(raised), climbed


def run_notices(settings: Settings, client: redis.Redis) -> None:
    """Pass after pass until SIGTERM or SIGINT; after each province's, its standing for the wall."""
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    rules = {province: rules_of(province, settings.notice_rules_file()) for province in settings.provinces}
    senders: dict[str, Sender] = senders_of(settings)
    contacts, unreachable = reachable(load_contacts(settings.notice_contacts_file()), set(senders))
    for recipient in unreachable:
        log.warning("notices worker: no %s sender set up: %s is not told", recipient.channel, recipient.address)
    secret = settings.secret_key.get_secret_value() if settings.secret_key else ""
    if not secret:
        log.warning("notices worker: SECRET_KEY is not set, so the web app cannot check the notices' links")
    base = settings.public_base()
    signals = StopSignal()
    log.info("notices worker: %d provinces, sending by %s", len(rules), ", ".join(senders) or "nothing (/ops only)")
    while not signals.stopping:
        started = time.monotonic()
        try:
            for province, province_rules in rules.items():
                check_province(sessions, province, province_rules, contacts, clock.now())
            deliver_due(sessions, senders, clock.now, lambda escalation, to: ack_link(secret, base, escalation, to))
            for province in rules:  # after the deliveries: the wall counts those not through
                publish_standing(sessions, client, settings, province, clock.now())
        except SQLAlchemyError as exc:
            log.warning("notices worker: database unavailable (%s); retrying", exc)
        signals.wait(settings.notice_pass_seconds - (time.monotonic() - started))
