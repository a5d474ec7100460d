"""Between GeoReport v2 and our events: a POSTed request becomes a `service_request` event, and an archived request
reads as a GeoReport request.

A POSTed request is located by `attribute[regency]` or by `lat`/`long` (the regency that holds the point). Its ids
come from the client's `Idempotency-Key` (see `request_event`): a client that sends the same request again (its
answer lost) with its key gets the same ids, and the event counts once. Only the fields a request is built from
are kept (`KEPT_FIELDS`). `service_request_id` is `<regency>:<request
id>`, since two regencies may number their requests alike.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ingest.open311.answers import Open311Error
from store.contract.calendar import deadline, iso_wib
from store.contract.events import CHANNELS, TERMINAL
from store.contract.locations import regency_at
from store.contract.reference import Reference
from store.contract.screening import screened
from store.contract.tracking import split_tracking_number, tracking_number
from store.history.models import ServiceRequest

TITLE_LENGTH = 200  # our events' title
DEFAULT_CHANNEL = "app"
# What a rejected POST's dead letter keeps: the fields a request is built from (`request_event`), nothing else,
# whatever other names a sender put personal data under.
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")
KEPT_FIELDS = frozenset(
    {"jurisdiction_id", "service_code", "lat", "long", "attribute[regency]", "attribute[channel]", "description"}
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
NOTICES = {
    "id": "Diteruskan ke {opd}; tenggat {due} WIB ({days} hari kerja).",
    "en": "Passed to {opd}; due {due} WIB ({days} working days).",
}
TRACKING_NOTICES = {
    "id": "Kode cek: {code}. Lacak di {url}",
    "en": "Check code: {code}. Track it at {url}",
}


def split_request_id(value: str) -> tuple[str, str]:
    """(regency, request id) of a `service_request_id`; 404 when it is not one of ours."""
    parts = split_tracking_number(value)
    if parts is None:
        raise Open311Error(404, f"service_request_id {value!r} not found (ours read <regency>:<request id>)")
    return parts


def located_regency(form: Mapping[str, str], reference: Reference) -> str:
    """The regency a POSTed request is for: `attribute[regency]`, else the one holding `lat`/`long`."""
    named = form.get("attribute[regency]", "").strip()
    if named:
        if named not in reference.regencies:
            raise Open311Error(
                400, f"attribute[regency]: {named!r} is not a regency of jurisdiction {reference.province}"
            )
        return named
    lat, lon = form.get("lat", "").strip(), form.get("long", "").strip()
    if not lat or not lon:
        has_address = form.get("address_string") or form.get("address_id")
        why = "an address cannot be located here: " if has_address else ""
        raise Open311Error(400, f"{why}a location is required: lat and long, or attribute[regency]")
    latitude, longitude = _degrees("lat", lat, 90), _degrees("long", lon, 180)
    code = regency_at(reference.province, latitude, longitude)
    if code is None:
        raise Open311Error(400, f"lat/long: ({lat}, {lon}) is in no regency of jurisdiction {reference.province}")
    return code


def _degrees(name: str, text: str, limit: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise Open311Error(400, f"{name}: {text[:40]!r} is not a number of degrees") from None
    if not math.isfinite(value) or abs(value) > limit:
        raise Open311Error(400, f"{name}: must be between -{limit:g} and {limit:g} degrees")
    return value


def request_event(
    form: Mapping[str, str],
    reference: Reference,
    regency: str,
    sender: str,
    now: datetime,
    idempotency_key: str | None = None,
) -> dict:
    """The `service_request` event (status "received") of a POSTed request, for `validate_event` to check.

    Its identity is what the client says, never a guess from its content: the same `Idempotency-Key` from the same
    key holder is the same request, whatever day it is sent again (a sent-again request counts once); without one,
    every POST is a new request (two citizens may well report the same thing in the same words)."""
    code = form.get("service_code", "").strip()
    category = reference.categories.get(code)
    if category is None:
        raise Open311Error(400, f"service_code: {code[:64]!r} is not a service of jurisdiction {reference.province}")
    channel = form.get("attribute[channel]", "").strip() or DEFAULT_CHANNEL
    if channel not in CHANNELS:
        raise Open311Error(400, f"attribute[channel]: must be one of {', '.join(CHANNELS)}")
    title = " ".join(_CONTROL.sub(" ", form.get("description", "")).split())[:TITLE_LENGTH]
    if idempotency_key is None:
        digest = secrets.token_hex(10)
    else:
        if not IDEMPOTENCY_KEY.fullmatch(idempotency_key):
            raise Open311Error(400, "Idempotency-Key: 1 to 255 printable ASCII characters")
        said = f"{sender}\x1f{idempotency_key}".encode()
        digest = hashlib.sha256(said).hexdigest()[:20]
    event = {
        "event_id": f"open311:{digest}",
        "type": "service_request",
        "request_id": f"O311-{digest}",
        "regency_code": regency,
        "status": "received",
        "category": code,
        "channel": channel,
        "opd": category.opd,
        "ts": now.isoformat(),
    }
    return {**event, "title": title} if title else event


def post_answer(
    event: Mapping[str, Any], reference: Reference, lang: str, now: datetime, tracking: Mapping[str, str] | None
) -> dict[str, str]:
    """What a POST answers: the request's id and what will happen to it; with `tracking` (`store.contract.tracking
    .receipt`), its check code and the citizens' page too, in the notice and as fields of their own."""
    category = reference.categories[event["category"]]
    due = deadline(now, category.deadline_working_days)
    notice = NOTICES[lang].format(
        opd=event["opd"], due=due.strftime("%Y-%m-%d %H:%M"), days=category.deadline_working_days
    )
    answer = {"service_request_id": tracking_number(event["regency_code"], event["request_id"])}
    if tracking is None:
        return {**answer, "service_notice": notice}
    notice += " " + TRACKING_NOTICES[lang].format(code=tracking["code"], url=tracking["url"])
    return {**answer, "service_notice": notice, "tracking_code": tracking["code"], "tracking_url": tracking["url"]}


def request_answer(row: ServiceRequest, reference: Reference, lang: str, titles: str) -> dict[str, Any]:
    """An archived request as GeoReport reads it: open or closed, its service, agency, times in WIB (the deadline
    as `expected_datetime`), its regency as the address; its title screened, or left out (`titles` "omit")."""
    category = reference.categories.get(row.category)
    regency = reference.regencies.get(row.regency)
    answer = {
        "service_request_id": tracking_number(row.regency, row.request_id),
        "status": "closed" if row.status in TERMINAL else "open",
        "service_name": (category.name_en if lang == "en" else category.name_id) if category else row.category,
        "service_code": row.category,
        "description": screened(row.title) if titles == "screened" else None,
        "agency_responsible": row.opd,
        "requested_datetime": iso_wib(row.received_at),
        "updated_datetime": iso_wib(row.status_at),
        "expected_datetime": iso_wib(row.due_at),
        "address": regency.name if regency else row.regency,
    }
    return {key: value for key, value in answer.items() if value is not None}
