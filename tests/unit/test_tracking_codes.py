"""Check codes: six base32 letters, the number's own under the deployment's key, read as people type them."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from store.contract.tracking import check_code, code_matches, split_tracking_number, tracking_number

REQUEST_IDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda request_id: request_id == request_id.strip() != ""
)


@given(REQUEST_IDS)
def test_a_code_is_its_number_s_under_its_key(request_id: str) -> None:
    code = check_code("key-a", "12.71", request_id)
    assert re.fullmatch(r"[A-Z2-7]{6}", code)
    assert code_matches("key-a", "12.71", request_id, code)
    assert split_tracking_number(tracking_number("12.71", request_id)) == ("12.71", request_id)


def test_codes_differ_by_key_regency_and_number() -> None:
    codes = {
        check_code("key-a", "12.71", "MDN-1"),
        check_code("key-b", "12.71", "MDN-1"),
        check_code("key-a", "12.04", "MDN-1"),
        check_code("key-a", "12.71", "MDN-2"),
    }
    assert len(codes) == 4
    assert not code_matches("key-b", "12.71", "MDN-1", check_code("key-a", "12.71", "MDN-1"))


def test_typed_codes_are_read_as_meant() -> None:
    code = check_code("key-a", "12.71", "MDN-1")
    assert code_matches("key-a", "12.71", "MDN-1", f" {code[:3].lower()}-{code[3:]} ")
    assert not code_matches("key-a", "12.71", "MDN-1", code[:5])
    assert not code_matches("key-a", "12.71", "MDN-1", "")


def test_shapes_that_are_not_numbers() -> None:
    assert split_tracking_number("12.71:MDN-1") == ("12.71", "MDN-1")
    assert split_tracking_number("12.71:a:b") == ("12.71", "a:b")  # a request id may hold the separator
    for shapeless in ("MDN-1", ":MDN-1", "12.71:", "", "   "):
        assert split_tracking_number(shapeless) is None
