"""Who is told at each tier: the contact table (`NOTICE_CONTACTS`, a CSV file) with one row per recipient:
`province,tier,regency,opd,email,webhook_url`. An empty regency or OPD matches any; a row gives an e-mail address,
a webhook URL, or both. The command centre's tier always has `/ops` as well, whoever else it tells."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from store.notices.rules import TIERS


@dataclass(frozen=True)
class Recipient:
    channel: str  # "email" or "webhook"
    address: str  # an e-mail address or a URL


@dataclass(frozen=True)
class Contact:
    province: str
    tier: str
    regency: str
    opd: str
    recipients: tuple[Recipient, ...]

    def serves(self, province: str, tier: str, regency: str, opd: str) -> bool:
        return (
            self.province == province
            and self.tier == tier
            and self.regency in ("", regency)
            and self.opd.casefold() in ("", opd.casefold())
        )


def load_contacts(path: Path | None) -> tuple[Contact, ...]:
    """The contact table (none without a file). ValueError, naming the line, for a row that does not make one."""
    if path is None:
        return ()
    with path.open(encoding="utf-8", newline="") as rows:
        return tuple(_contact(row, line) for line, row in enumerate(csv.DictReader(rows), start=2))


def recipients_for(contacts: tuple[Contact, ...], province: str, tier: str, regency: str, opd: str) -> list[Recipient]:
    """Everyone to tell at `tier` about a request of `regency` with `opd`, each once."""
    found = [r for c in contacts if c.serves(province, tier, regency, opd) for r in c.recipients]
    return list(dict.fromkeys(found))


def _contact(row: dict[str, str], line: int) -> Contact:
    names = ("province", "tier", "regency", "opd", "email", "webhook_url")
    values = {name: (row.get(name) or "").strip() for name in names}
    if values["tier"] not in TIERS:
        raise ValueError(f"notice contacts, line {line}: tier must be one of {', '.join(TIERS)}")
    recipients = []
    if values["email"]:
        if "@" not in values["email"] or any(ch.isspace() for ch in values["email"]):
            raise ValueError(f"notice contacts, line {line}: email is not an address")
        recipients.append(Recipient("email", values["email"]))
    if values["webhook_url"]:
        parts = urlsplit(values["webhook_url"])
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"notice contacts, line {line}: webhook_url must be an http(s) URL")
        recipients.append(Recipient("webhook", values["webhook_url"]))
    if not recipients:
        raise ValueError(f"notice contacts, line {line}: give an email, a webhook_url or both")
    return Contact(values["province"], values["tier"], values["regency"], values["opd"], tuple(recipients))


def reachable(contacts: tuple[Contact, ...], channels: set[str]) -> tuple[tuple[Contact, ...], list[Recipient]]:
    """The contacts with only the recipients on `channels` (those this deployment can send on), and the recipients
    left out: a notice no one can send would wait in the outbox for ever."""
    kept, dropped = [], []
    for contact in contacts:
        usable = tuple(r for r in contact.recipients if r.channel in channels)
        dropped += [r for r in contact.recipients if r.channel not in channels]
        if usable:
            kept.append(Contact(contact.province, contact.tier, contact.regency, contact.opd, usable))
    return tuple(kept), dropped
