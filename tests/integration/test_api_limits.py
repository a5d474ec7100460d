"""Hostile and careless bodies on POST /api/v1/events: every one gets an answer in the contract, never a 500; one
bad item rejects only itself and is dead-lettered; a flood cannot push out the dead letters operators need; a full
stream refuses at the door instead of dropping what a worker has not read."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from store.contract.events import MAX_ITEMS, MAX_REJECTIONS_LISTED
from store.contract.keys import Keys
from store.pipeline.ops import refused_recently
from store.pipeline.streams import SINGLE_PER_REQUEST, dead_letter
from tests.integration.test_api import client, dead, event, make_client, post, sessions, stream

__all__ = ["client", "sessions"]  # the ingest app and its token, as test_api has them

KEYS = Keys("12")
DEEP = 100_000


@pytest.fixture
def big(redis_client, redis_url, reference, sessions):
    """The ingest app with the default body limit (5 MiB)."""
    return make_client(redis_url, reference, sessions, max_body_bytes=5 * 1024 * 1024)


def test_deeply_nested_json_body_is_400_not_500(big, redis_client):
    response = post(big, "[" * DEEP + "]" * DEEP)
    assert response.status_code == 400
    assert response.get_json()["error"] == "body: not valid JSON (nested too deeply)"


def test_deeply_nested_ndjson_line_rejects_only_itself(big, redis_client):
    lines = [json.dumps(event(1)), '{"title": ' + "[" * DEEP + "]" * DEEP + "}", json.dumps(event(2))]
    response = post(big, "\n".join(lines), content_type="application/x-ndjson")
    assert response.status_code == 202
    answer = response.get_json()
    assert answer["accepted"] == 2
    assert answer["rejected"] == [{"index": 1, "error": "event: not valid JSON (nested too deeply)"}]
    assert [e["event_id"] for e in stream(redis_client)] == ["ev-1", "ev-2"]
    assert len(dead(redis_client)) == 1


def test_an_item_nested_just_below_the_parser_limit_is_rejected_and_kept(client, redis_client):
    nested = json.loads("[" * 900 + "]" * 900)
    response = post(client, [event(1), {**event(2), "title": nested}])
    assert response.status_code == 202
    assert response.get_json()["rejected"][0]["error"].startswith("title: ")
    assert len(dead(redis_client)) == 1


@pytest.mark.parametrize("field", ["title", "opd", "request_id", "category", "event_id"])
def test_a_lone_surrogate_rejects_its_item_names_the_field_and_is_dead_lettered(client, redis_client, field):
    # json.dumps spells the lone surrogate as a sender would: the escape \ud800.
    body = json.dumps([event(1), event(2, **{field: "air mati \ud800"})])
    response = post(client, body)
    assert response.status_code == 202
    answer = response.get_json()
    assert answer["accepted"] == 1
    assert answer["rejected"][0]["error"].startswith(f"{field}: contains a lone surrogate")
    (letter,) = dead(redis_client)
    assert "\\ud800" in letter["raw"]  # kept, made storable
    assert [e["event_id"] for e in stream(redis_client)] == ["ev-1"]


def test_a_lone_surrogate_in_a_field_name_is_rejected_not_500(client, redis_client):
    body = '[{"ti\\udc00tle": "x"}]'
    response = post(client, body)
    assert response.status_code == 202
    assert response.get_json()["rejected_count"] == 1
    assert len(dead(redis_client)) == 1


def test_invalid_utf8_on_one_ndjson_line_rejects_only_that_line(client, redis_client):
    body = json.dumps(event(1)).encode() + b"\n" + b'{"title": "\xed\xa0\x80"}' + b"\n" + json.dumps(event(2)).encode()
    response = post(client, body, content_type="application/x-ndjson")
    assert response.status_code == 202
    assert response.get_json()["accepted"] == 2
    assert dead(redis_client)[0]["raw"] == '{"title": "\\xed\\xa0\\x80"}'


@pytest.mark.parametrize(
    "sla_due", ["0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"]
)
def test_a_deadline_at_the_calendar_edge_is_rejected_by_field(client, redis_client, sla_due):
    response = post(client, [event(1, sla_due=sla_due), event(2)])
    assert response.status_code == 202
    (rejection,) = response.get_json()["rejected"]
    assert rejection["index"] == 0 and rejection["error"].startswith("sla_due: must be within")


@pytest.mark.parametrize("ts", ["0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59-12:00"])
def test_an_event_time_at_the_calendar_edge_is_rejected_by_field(client, redis_client, ts):
    (rejection,) = post(client, [event(1, ts=ts)]).get_json()["rejected"]
    assert rejection["error"].startswith("ts: is more than")


def test_more_items_than_the_cap_is_413_and_nothing_kept(big, redis_client):
    response = post(big, [{}] * (MAX_ITEMS + 1))
    assert response.status_code == 413
    assert "more than 10000" in response.get_json()["error"]
    assert stream(redis_client) == [] and dead(redis_client) == []


def test_a_flood_of_bad_items_is_answered_in_short_and_kept_in_bulk(big, redis_client):
    for n in range(50):  # what operators were about to fix and replay
        dead_letter(redis_client, KEYS, json.dumps(event(n, regency_code="12.99")), "regency_code: unknown", "kab")
    response = post(big, [{}] * MAX_ITEMS)
    assert response.status_code == 202
    answer = response.get_json()
    assert answer["rejected_count"] == MAX_ITEMS
    assert len(answer["rejected"]) == MAX_REJECTIONS_LISTED
    assert len(response.data) < 200_000
    letters = dead(redis_client)
    assert len(letters) == 50 + SINGLE_PER_REQUEST
    assert sum(1 for d in letters if d["source"] == "kab") == 50  # none pushed out
    (flood,) = redis_client.xrange(KEYS.dead_letter_floods)
    assert int(flood[1]["count"]) == MAX_ITEMS - SINGLE_PER_REQUEST


def test_a_source_gets_a_budget_of_single_dead_letters_per_minute(client, redis_client):
    for _ in range(15):
        post(client, [{}] * 200)
    assert len(dead(redis_client)) == 1000  # SINGLE_PER_MINUTE
    assert redis_client.xlen(KEYS.dead_letter_floods) == 15


def test_a_full_stream_refuses_at_the_door_and_drops_nothing(redis_client, redis_url, reference, sessions):
    small = make_client(redis_url, reference, sessions, stream_maxlen=10)
    assert post(small, [event(n) for n in range(8)]).status_code == 202
    refused = post(small, [event(n) for n in range(8, 11)])  # 8 + 3 > 10: the whole batch waits
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "5"
    assert refused.get_json()["error"].startswith("event stream full: 8 entries not yet read by every worker")
    assert [e["event_id"] for e in stream(redis_client)] == [f"ev-{n}" for n in range(8)]
    assert post(small, [event(8), event(9)]).status_code == 202  # exactly up to the cap
    assert len(stream(redis_client)) == 10
    assert refused_recently(redis_client, KEYS, datetime.now(UTC)) == 3
