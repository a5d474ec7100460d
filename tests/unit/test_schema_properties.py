"""Property tests of the event schema: any JSON gets a field-level answer, valid events survive their round trip."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from store.contract.events import CHANNELS, STATUSES, ServiceRequestEvent, to_record, validate_event
from store.contract.reference import load_reference

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
REFERENCE = load_reference("12")
FIELDS = set(ServiceRequestEvent.model_fields) | {"metric", "value", "event"}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=6),
    max_leaves=20,
)
event_like = st.fixed_dictionaries(
    {"type": st.sampled_from(["service_request", "kpi", "other"])},
    optional={
        "event_id": json_values | st.text(max_size=10),
        "regency_code": st.sampled_from([*REFERENCE.regencies, "99.99"]) | json_values,
        "status": st.sampled_from(STATUSES) | json_values,
        "ts": st.just(NOW.isoformat()) | json_values,
        "value": json_values,
        "extra": json_values,
    },
)


@given(json_values | event_like)
def test_any_json_is_answered_with_a_field_level_error_or_accepted(data) -> None:
    try:
        validate_event(data, REFERENCE, NOW)
    except ValueError as error:
        for part in str(error).split("; "):
            field, _, reason = part.partition(": ")
            assert reason, part
            assert field.split(".")[0] in FIELDS or field in (data if isinstance(data, dict) else {}), part


valid_requests = st.builds(
    dict,
    event_id=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,40}", fullmatch=True),
    type=st.just("service_request"),
    request_id=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9-]{0,20}", fullmatch=True),
    regency_code=st.sampled_from(list(REFERENCE.regencies)),
    status=st.sampled_from(STATUSES),
    category=st.sampled_from(list(REFERENCE.categories)),
    channel=st.sampled_from(CHANNELS),
    opd=st.text(st.characters(min_codepoint=32, blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=100).filter(
        str.strip
    ),
    ts=st.integers(-29 * 86400, 0).map(lambda s: (NOW + timedelta(seconds=s)).astimezone(UTC).isoformat()),
)


@given(valid_requests)
def test_a_valid_event_keeps_its_canonical_record_through_a_round_trip(event) -> None:
    record = to_record(validate_event(event, REFERENCE, NOW))
    assert to_record(validate_event(json.loads(record), REFERENCE, NOW)) == record
