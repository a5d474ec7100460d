"""The bad-input corpus: every case is rejected naming the right field, or accepted where the contract allows."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from store.contract.events import decode_body, validate_event

CORPUS = [json.loads(line) for line in (Path(__file__).parent.parent / "corpus" / "events.jsonl").open()]
NOW = datetime(2026, 11, 27, 3, 2, tzinfo=UTC)


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 50
    assert sum(not case["accepted"] for case in CORPUS) >= 50


@pytest.mark.parametrize("case", CORPUS, ids=[case["name"] for case in CORPUS])
def test_case(case: dict, reference) -> None:
    if case["accepted"]:
        validate_event(case["event"], reference, NOW)
        return
    with pytest.raises(ValueError) as error:
        validate_event(case["event"], reference, NOW)
    assert str(error.value).startswith(f"{case['field']}: "), str(error.value)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_not_json(literal: str) -> None:
    with pytest.raises(ValueError, match=literal):
        decode_body(f'{{"value": {literal}}}'.encode(), "application/json")


def test_one_bad_ndjson_line_rejects_only_itself() -> None:
    items = decode_body(b'{"a": 1}\n{not json}\n\n{"b": 2}\n', "application/x-ndjson")
    assert items[0] == {"a": 1} and items[2] == {"b": 2}
    assert items[1].error.startswith("event: not valid JSON")
