"""What a notice says, in Indonesian (the agencies' language): the request, the rule it set off, its deadline,
and the link that acknowledges it and stops the climb."""

from __future__ import annotations

from typing import Any

from store.contract.calendar import iso_wib
from store.contract.tracking import tracking_number
from store.history.models import ServiceRequest
from store.notices.models import Escalation

# The default rules in words, in the interface's languages (a province's own rules read as their names).
RULE_TEXTS = {
    "id": {
        "forwarding_half": "separuh waktu penerusan (3 hari kerja) terpakai",
        "forwarding_late": "belum diteruskan dalam 3 hari kerja",
        "answer_three_quarters": "tiga perempat waktu tanggapan OPD (5 hari kerja) terpakai",
        "answer_late": "belum ditanggapi OPD dalam 5 hari kerja",
        "deadline_half": "separuh waktu penyelesaian terpakai",
        "deadline_three_quarters": "tiga perempat waktu penyelesaian terpakai",
        "deadline_breached": "tenggat penyelesaian terlewati",
        "bounced": "berpindah antar-OPD berulang kali",
    },
    "en": {
        "forwarding_half": "half the time to forward it (3 working days) used",
        "forwarding_late": "not forwarded within 3 working days",
        "answer_three_quarters": "three quarters of the agency's time to answer (5 working days) used",
        "answer_late": "not answered by the agency within 5 working days",
        "deadline_half": "half the time to resolve it used",
        "deadline_three_quarters": "three quarters of the time to resolve it used",
        "deadline_breached": "its deadline passed",
        "bounced": "moved between agencies again and again",
    },
}
TIER_TEXTS = {
    "id": {"opd": "OPD", "kominfo": "Diskominfo kab/kota", "command_centre": "Pusat Komando provinsi"},
    "en": {"opd": "the agency", "kominfo": "the regency's Kominfo", "command_centre": "the province's command centre"},
}


def rule_text(rule: str, lang: str = "id") -> str:
    """A rule's name in words (its own name when the table has one of its own)."""
    return RULE_TEXTS.get(lang, RULE_TEXTS["id"]).get(rule, rule.replace("_", " "))


def tier_text(tier: str, lang: str = "id") -> str:
    return TIER_TEXTS.get(lang, TIER_TEXTS["id"]).get(tier, tier)


def notice_text(escalation: Escalation, request: ServiceRequest | None, ack_url: str) -> dict[str, Any]:
    """The notice's subject, text and fields (the webhook sends them all; the e-mail the subject and text)."""
    number = tracking_number(escalation.regency, escalation.request_id)
    what = rule_text(escalation.rule)
    subject = f"[Pusat Komando] {number}: {what}"
    due = iso_wib(request.due_at) if request else None
    lines = [
        f"Laporan {number} ({escalation.opd}): {what}.",
        f"Status: {request.status if request else '-'}; tenggat: {due or '-'}.",
        f"Tingkat: {tier_text(escalation.tier)}. Tanpa tanggapan, pemberitahuan naik ke tingkat berikutnya.",
        f"Tandai sudah ditangani: {ack_url}",
    ]
    return {
        "subject": subject,
        "text": "\n".join(lines),
        "rule": escalation.rule,
        "tier": escalation.tier,
        "number": number,
        "regency": escalation.regency,
        "opd": escalation.opd,
        "status": request.status if request else None,
        "due_at": due,
        "ack_url": ack_url,
    }
