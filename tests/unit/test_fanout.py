"""The rounds of `dashboard.fanout`: merge patches compose (RFC 7386), so pushes that wait for a round go out as one
that takes a screen from the last push it applied to the newest; what does not follow or compose is never merged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from json_merge_patch import merge

from dashboard.fanout import NotComposable, compose, merged

KEYS = st.sampled_from(["a", "b", "c"])
SCALARS = st.none() | st.integers(-3, 3) | st.text("xy", max_size=2)
DOCUMENTS = st.recursive(SCALARS, lambda inner: st.dictionaries(KEYS, inner, max_size=3), max_leaves=8)
PATCHES = st.recursive(SCALARS, lambda inner: st.dictionaries(KEYS, inner, max_size=3), max_leaves=8)


@given(DOCUMENTS, PATCHES, PATCHES)
def test_a_composed_patch_does_what_the_two_do(document, first, second) -> None:
    try:
        composed = compose(first, second)
    except NotComposable:
        return
    assert merge(document, composed) == merge(merge(document, first), second)


def test_a_value_replaced_then_patched_as_an_object_does_not_compose() -> None:
    with pytest.raises(NotComposable):
        compose({"a": 5}, {"a": {"x": 1}})


def _patch(seq: int, patch: dict, epoch: int = 7) -> dict:
    return {"room": "province:id", "epoch": epoch, "seq": seq, "served_at": 1000 + seq, "base": seq - 1, "patch": patch}


def test_waiting_pushes_go_out_as_one_from_the_first_ones_base() -> None:
    one = merged(_patch(4, {"tiles": {"open": "3"}, "as_of": "t4"}), _patch(5, {"tiles": {"overdue": "1"}}))
    three = merged(one, _patch(6, {"tiles": {"open": "4"}, "as_of": "t6"}))
    assert three == {
        "room": "province:id",
        "epoch": 7,
        "seq": 6,
        "served_at": 1006,
        "base": 3,
        "patch": {"tiles": {"open": "4", "overdue": "1"}, "as_of": "t6"},
    }


def test_a_whole_model_waiting_takes_the_patches_after_it() -> None:
    whole = {"room": "province:id", "epoch": 7, "seq": 1, "served_at": 1001, "model": {"tiles": {"open": "1"}}}
    assert merged(whole, _patch(2, {"tiles": {"open": "2"}}))["model"] == {"tiles": {"open": "2"}}
    assert merged(whole, _patch(2, {"tiles": {"open": "2"}}))["seq"] == 2


def test_a_push_that_does_not_follow_replaces_the_waiting_one() -> None:
    waiting = _patch(4, {"as_of": "t4"})
    assert merged(waiting, _patch(6, {"as_of": "t6"})) == _patch(6, {"as_of": "t6"})  # a gap: screens resync
    assert merged(waiting, _patch(5, {"as_of": "t5"}, epoch=8)) == _patch(5, {"as_of": "t5"}, epoch=8)  # restarted
