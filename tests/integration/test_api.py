"""POST /api/v1/events on a bare Flask app with the ingest blueprint, against a real Redis and SQLite."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta

import pytest
import redis
from flask import Flask

from ingest.api import create_ingest_blueprint
from store.access.accounts import provision_from_settings, revoke_token
from store.contract.keys import Keys
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade
from store.pipeline.ops import ingest_rates
from store.servers.redis_clients import connect
from tests.unit.test_bad_input_corpus import CORPUS
from tests.unit.test_bad_input_corpus import NOW as CORPUS_NOW

TOKEN = "s3cret-token"


def event(n: int, **changes) -> dict:
    base = {
        "event_id": f"ev-{n}",
        "type": "service_request",
        "request_id": f"req-{n}",
        "regency_code": "12.71",
        "status": "received",
        "category": "kesehatan",
        "channel": "app",
        "opd": "Dinas Kesehatan Kota Medan",
        "ts": datetime.now(UTC).isoformat(),
    }
    return {**base, **changes}


@pytest.fixture
def sessions(tmp_path):
    """A database holding the ingest token of "kota-medan", provisioned from INGEST_TOKENS as at start."""
    url = f"sqlite:///{tmp_path / 'auth.db'}"
    upgrade(url)
    factory = make_sessionmaker(url)
    with factory.begin() as db:
        provision_from_settings(db, Settings(ingest_tokens={TOKEN: "kota-medan"}))
    yield factory
    factory.kw["bind"].dispose()


def make_client(redis_url: str, reference, sessions, max_body_bytes: int = 64 * 1024, **settings_fields):
    settings = Settings(max_body_bytes=max_body_bytes, **settings_fields)
    shared = connect(redis_url)
    app = Flask(__name__)
    app.register_blueprint(create_ingest_blueprint(settings, lambda: shared, {reference.province: reference}, sessions))
    return app.test_client()


@pytest.fixture
def client(redis_client, redis_url, reference, sessions):
    return make_client(redis_url, reference, sessions)


def post(client, body, content_type="application/json", token=TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post("/api/v1/events", data=data, content_type=content_type, headers=headers)


def stream(redis_client) -> list[dict]:
    return [json.loads(fields["e"]) for _, fields in redis_client.xrange(Keys("12").events)]


def dead(redis_client) -> list[dict]:
    return [dict(fields) for _, fields in redis_client.xrange(Keys("12").dead_letter)]


def test_single_object_and_array_are_accepted(client, redis_client):
    assert post(client, event(1)).get_json() == {"accepted": 1, "rejected": [], "rejected_count": 0, "tracking": []}
    response = post(client, [event(2), event(3)])
    assert response.status_code == 202
    assert response.get_json() == {"accepted": 2, "rejected": [], "rejected_count": 0, "tracking": []}
    assert [e["event_id"] for e in stream(redis_client)] == ["ev-1", "ev-2", "ev-3"]


@pytest.mark.parametrize("token", [None, "wrong", ""])
def test_missing_or_wrong_token_is_401(client, redis_client, token):
    response = post(client, event(1), token=token)
    assert response.status_code == 401
    assert "error" in response.get_json()
    assert stream(redis_client) == []


def test_revoked_token_is_401(client, redis_client, sessions):
    with sessions.begin() as db:
        assert revoke_token(db, "kota-medan", "ingest") == 1
    assert post(client, event(1)).status_code == 401
    assert stream(redis_client) == []


def test_accepted_events_are_counted_per_source(client, redis_client):
    post(client, [event(1), event(2), event(3, channel="fax")])
    rates = ingest_rates(redis_client, Keys("12"), datetime.now(UTC), minutes=1)
    assert rates["kota-medan"]["series"][-1] == 2


def test_basic_auth_scheme_is_401(client):
    response = client.post("/api/v1/events", json=event(1), headers={"Authorization": f"Basic {TOKEN}"})
    assert response.status_code == 401


def test_body_over_limit_is_413(redis_client, redis_url, reference, sessions):
    small = make_client(redis_url, reference, sessions, max_body_bytes=1000)
    response = post(small, [event(n) for n in range(20)])
    assert response.status_code == 413
    assert stream(redis_client) == []


def test_other_content_type_is_415(client, redis_client):
    response = post(client, json.dumps(event(1)), content_type="text/plain")
    assert response.status_code == 415
    assert stream(redis_client) == []


@pytest.mark.parametrize("body", ["{not json", "", '{"a": NaN}', b"\xff\xfe"])
def test_body_that_is_not_json_is_400(client, redis_client, body):
    response = post(client, body)
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("body: not valid JSON")


def test_ndjson_partial_rejection_dead_letters_raw_and_reason(client, redis_client):
    lines = [
        json.dumps(event(1)),
        "{broken",
        json.dumps(event(2, regency_code="12.99")),
        json.dumps(event(3, channel="fax")),
        json.dumps(event(4)),
    ]
    response = post(client, "\n".join(lines) + "\n", content_type="application/x-ndjson")
    assert response.status_code == 202
    answer = response.get_json()
    assert answer["accepted"] == 2
    assert [r["index"] for r in answer["rejected"]] == [1, 2, 3]
    assert answer["rejected"][0]["error"].startswith("event: not valid JSON")
    assert answer["rejected"][1]["error"] == "regency_code: unknown regency '12.99' in province 12"
    assert answer["rejected"][2]["error"].startswith("channel: ")
    assert [e["event_id"] for e in stream(redis_client)] == ["ev-1", "ev-4"]

    letters = dead(redis_client)
    assert [d["error"] for d in letters] == [r["error"] for r in answer["rejected"]]
    assert letters[0]["raw"] == "{broken"
    assert json.loads(letters[1]["raw"])["regency_code"] == "12.99"
    assert {d["source"] for d in letters} == {"kota-medan"}
    assert all(datetime.fromisoformat(d["at"]) for d in letters)


def test_jsonl_content_type_is_ndjson(client, redis_client):
    body = json.dumps(event(1)) + "\n" + json.dumps(event(2))
    assert post(client, body, content_type="application/jsonl").get_json()["accepted"] == 2


def test_stored_record_is_canonical(client, redis_client):
    post(client, event(1, ts="2030-01-01T00:00:00+07:00"))  # too far in the future: rejected
    post(client, event(2, title="  Lampu jalan mati  "))
    (stored,) = stream(redis_client)
    assert stored["title"] == "Lampu jalan mati"
    assert stored["ts"].endswith("Z") or stored["ts"].endswith("+00:00")


def test_redis_down_is_503_with_retry_after(redis_url, reference, sessions):
    unreachable = redis.Redis.from_url("unix:///nonexistent/redis.socket")
    app = Flask(__name__)
    app.register_blueprint(
        create_ingest_blueprint(Settings(), lambda: unreachable, {reference.province: reference}, sessions)
    )
    response = post(app.test_client(), [event(1), {"type": "kpi"}])
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"


def rebased(event, delta: timedelta):
    """A corpus item with its times moved by `delta`, so it means the same against the real clock."""
    if not isinstance(event, dict):
        return event
    moved = dict(event)
    for field in ("ts", "sla_due"):
        with contextlib.suppress(KeyError, TypeError, ValueError):
            moved[field] = (datetime.fromisoformat(event[field]) + delta).isoformat()
    return moved


def test_bad_input_corpus_in_one_array(client, redis_client):
    """Each item answered by index and field; rejected ones dead-lettered with their raw text; nothing else kept."""
    delta = datetime.now(UTC) - CORPUS_NOW
    body = [rebased(case["event"], delta) for case in CORPUS]

    answer = post(client, body).get_json()

    expected_rejected = [i for i, case in enumerate(CORPUS) if not case["accepted"]]
    assert [r["index"] for r in answer["rejected"]] == expected_rejected
    for rejection in answer["rejected"]:
        assert rejection["error"].startswith(f"{CORPUS[rejection['index']]['field']}: "), rejection
    assert answer["accepted"] == len(CORPUS) - len(expected_rejected)
    letters = dead(redis_client)
    assert [json.loads(letter["raw"]) for letter in letters] == [body[i] for i in expected_rejected]
    assert all(letter["error"] and letter["source"] == "kota-medan" for letter in letters)
    assert len(stream(redis_client)) == answer["accepted"]
