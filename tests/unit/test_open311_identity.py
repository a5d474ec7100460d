"""An Open311 request's identity is what its client says (its `Idempotency-Key`), never a guess from its content:
a re-send with its key is the same request on any day; without one, the same words are another request."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest.open311.answers import Open311Error
from ingest.open311.reports import request_event
from store.contract.reference import load_reference

FORM = {"service_code": "jalan_jembatan", "description": "Jalan berlubang di Jl. Gatot Subroto"}
EVENING = datetime(2026, 11, 27, 16, 59, tzinfo=UTC)  # 23:59 WIB
NEXT_MORNING = datetime(2026, 11, 27, 17, 1, tzinfo=UTC)  # 00:01 WIB, the next day


def _ids(form: dict, now: datetime, key: str | None, sender: str = "vendor") -> tuple[str, str]:
    event = request_event(form, load_reference("12"), "12.71", sender, now, key)
    return event["event_id"], event["request_id"]


def test_a_re_send_with_its_key_is_the_same_request_across_midnight() -> None:
    assert _ids(FORM, EVENING, "k-1") == _ids(FORM, NEXT_MORNING, "k-1")
    assert _ids(FORM, EVENING, "k-1") != _ids(FORM, EVENING, "k-1", sender="another-vendor")


def test_without_a_key_the_same_words_are_another_request() -> None:
    assert _ids(FORM, EVENING, None) != _ids(FORM, EVENING, None)
    assert _ids(FORM, EVENING, "k-1") != _ids(FORM, EVENING, "k-2")


@pytest.mark.parametrize("key", ["", "a b", "x" * 256, "kunci-é"])
def test_a_malformed_key_is_refused_naming_it(key: str) -> None:
    with pytest.raises(Open311Error) as refused:
        _ids(FORM, EVENING, key)
    assert refused.value.status == 400 and refused.value.description.startswith("Idempotency-Key:")
