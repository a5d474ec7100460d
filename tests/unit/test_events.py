"""Event schema v1: exact field-level messages for bad input, and the canonical record of good input."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from store.contract.events import InvalidLine, decode_body, to_record, validate_event

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # 10:00 WIB


def request(**changes) -> dict:
    event = {
        "event_id": "e-1",
        "type": "service_request",
        "request_id": "r-1",
        "regency_code": "12.71",
        "status": "received",
        "category": "kesehatan",
        "channel": "app",
        "opd": "Dinas Kesehatan Kota Medan",
        "ts": "2026-11-24T09:30:00+07:00",
    }
    return {k: v for k, v in {**event, **changes}.items() if v is not None}


def kpi(**changes) -> dict:
    event = {"event_id": "k-1", "type": "kpi", "metric": "ispu", "regency_code": "12.07", "value": 55}
    return {**event, "ts": NOW.isoformat(), **changes}


def error_of(data, reference) -> str:
    with pytest.raises(ValueError) as caught:
        validate_event(data, reference, NOW)
    return str(caught.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (request(regency_code="12.99"), "regency_code: unknown regency '12.99' in province 12"),
        (request(regency_code="11.01"), "regency_code: unknown regency '11.01' in province 12"),
        (request(category="parkir"), "category: unknown category 'parkir'"),
        (kpi(metric="gdp"), "metric: unknown metric 'gdp'"),
        (request(type="complaint"), "type: must be 'service_request' or 'kpi'"),
        (request(type=None), "type: is missing (must be 'service_request' or 'kpi')"),
        (request(colour="red"), "colour: unknown field"),
        (request(ts="2026-11-24T09:30:00"), "ts: Input should have timezone info"),
        (request(ts="2026-11-24T11:00:00+07:00"), "ts: is more than 10 minutes in the future"),
        (request(ts="2026-10-01T09:00:00+07:00"), "ts: is more than 30 days in the past"),
        (request(event_id=""), "event_id: String should have at least 1 character"),
        (request(title="x" * 201), "title: String should have at most 200 characters"),
        (request(title="bel\x07l"), "title: contains control characters"),
        (request(title="ok\ufffe"), "title: contains U+FFFE, which XML cannot carry (Open311's answers, Excel files)"),
        (request(opd="Dinas \uffff"), "opd: contains U+FFFF, which XML cannot carry (Open311's answers, Excel files)"),
        (request(satisfaction=6), "satisfaction: Input should be less than or equal to 5"),
        (request(satisfaction="5"), "satisfaction: Input should be a valid integer"),
        (kpi(value=float("inf")), "value: Input should be a finite number"),
    ],
)
def test_exact_messages(data, message, reference):
    assert error_of(data, reference) == message


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (request(status="closed"), "status"),
        (request(channel="fax"), "channel"),
        (request(request_id=None), "request_id"),
        (request(opd="x" * 101), "opd"),
        (request(priority="asap"), "priority"),
        (request(sla_due="tomorrow"), "sla_due"),
        (request(event_id="has space"), "event_id"),
        (kpi(value="high"), "value"),
        (kpi(value=None), "value"),
    ],
)
def test_message_names_the_field(data, field, reference):
    assert error_of({k: v for k, v in data.items() if v is not None}, reference).startswith(f"{field}: ")


def test_every_failing_field_is_named(reference):
    message = error_of(request(status="closed", channel="fax", regency_code="00.00"), reference)
    assert [part.split(":")[0] for part in message.split("; ")] == ["regency_code", "status", "channel"]


@pytest.mark.parametrize("data", [[request()], "event", 42, None])
def test_non_objects_are_rejected(data, reference):
    assert error_of(data, reference).startswith("event: must be a JSON object")


def test_valid_request_becomes_a_canonical_record(reference):
    event = validate_event(request(title="  Obat kosong  ", priority="high", satisfaction=None), reference, NOW)
    record = json.loads(to_record(event))
    assert record["ts"] == "2026-11-24T02:30:00Z"  # stored in UTC
    assert record["title"] == "Obat kosong"
    assert "satisfaction" not in record and "sla_due" not in record


@pytest.mark.parametrize(
    "data",
    [
        request(status="resolved", satisfaction=5, sla_due="2026-11-25T17:00:00+07:00"),
        request(channel="walk_in", priority="urgent"),
        kpi(value=-3.5),
        kpi(ts=(NOW + timedelta(minutes=9)).isoformat()),
    ],
)
def test_valid_events_are_accepted(data, reference):
    validate_event(data, reference, NOW)


def test_decode_body_shapes():
    assert decode_body(b'{"a": 1}', "application/json") == [{"a": 1}]
    assert decode_body(b'[{"a": 1}, 2]', "application/json") == [{"a": 1}, 2]
    with pytest.raises(ValueError):
        decode_body(b"{", "application/json")
    bad = decode_body(b'{"a": 1}\n{oops\n', "application/x-ndjson")[1]
    assert isinstance(bad, InvalidLine) and bad.raw == "{oops" and bad.error.startswith("event: not valid JSON")
