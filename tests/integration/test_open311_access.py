"""Open311's reading rules and rejections, on the real app (real Redis and SQLite) through Flask's test client:
reading is off unless the province publishes it, a key reads its own province only, a public reader is limited per
address (so one reader cannot lock out another), titles are left out by default, and every rejected POST says why,
in the specification's form, and is kept as a dead letter without the sender's personal fields."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.access.accounts import issue_token
from store.contract.events import to_record, validate_event
from store.contract.keys import Keys
from store.contract.reference import load_reference
from tests.support.security import served_app
from workers.archive import archive_batch

SUMUT_KEY = "open311-sumut-key-0123456789abcdef"
JATIM_KEY = "open311-jatim-key-0123456789abcdef"
BASE = "/open311/v2"
MEDAN = {"lat": "3.5952", "long": "98.6722"}


def _app(tmp_path, redis_url, redis_client, **options):
    app, sessions = served_app(tmp_path, redis_url, redis_client, secret_key="t", provinces=("12", "35"), **options)
    with sessions.begin() as db:
        issue_token(db, "sumut-vendor", "ingest", SUMUT_KEY, scope=frozenset({"12"}))
        issue_token(db, "jatim-vendor", "ingest", JATIM_KEY, scope=frozenset({"35"}))
    reference = load_reference("12")
    event = {
        "event_id": "e1",
        "type": "service_request",
        "request_id": "SIM-1",
        "regency_code": "12.71",
        "status": "received",
        "category": "jalan_jembatan",
        "channel": "web",
        "opd": "Dinas PUPR",
        "title": "Lubang di Jl. Sudirman, telepon 081234567890",
        "ts": datetime.now(UTC).isoformat(),
    }
    with sessions.begin() as db:  # a request that came by our own API, archived
        archive_batch(db, [to_record(validate_event(event, reference))], reference)
    return app.server.test_client()


@pytest.fixture
def app(tmp_path, redis_url, redis_client):
    return _app(tmp_path, redis_url, redis_client)


def test_reading_is_off_by_default_and_a_key_reads_its_own_province_only(app) -> None:
    closed = app.get(f"{BASE}/requests.json")
    assert closed.status_code == 403 and "needs its api_key" in closed.get_json()[0]["description"]
    mine = app.get(f"{BASE}/requests.json?api_key={SUMUT_KEY}")
    assert mine.status_code == 200 and [r["service_request_id"] for r in mine.get_json()] == ["12.71:SIM-1"]
    assert "description" not in mine.get_json()[0]  # titles left out unless the setting screens them
    theirs = app.get(f"{BASE}/requests/12.71:SIM-1.xml?api_key={JATIM_KEY}&jurisdiction_id=12")
    assert theirs.status_code == 403 and theirs.content_type.startswith("text/xml")
    assert b"<errors><error><code>403</code>" in theirs.data
    other = app.get(f"{BASE}/requests.json?api_key={JATIM_KEY}&jurisdiction_id=35")
    assert other.status_code == 200 and other.get_json() == []
    assert app.get(f"{BASE}/requests.json?jurisdiction_id=99").status_code == 404


def test_public_reading_is_limited_per_address_and_titles_are_screened(tmp_path, redis_url, redis_client) -> None:
    app = _app(
        tmp_path, redis_url, redis_client, open311_public=("12",), open311_reads_per_minute=3, open311_titles="screened"
    )
    here = {"REMOTE_ADDR": "10.0.0.1"}
    answers = [app.get(f"{BASE}/requests.json", environ_base=here) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1].headers["Retry-After"]) >= 1
    assert answers[0].get_json()[0]["description"] == "Lubang di Jl. Sudirman, telepon […]"
    elsewhere = app.get(f"{BASE}/requests/12.71:SIM-1.json", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert elsewhere.status_code == 200  # another reader is not locked out
    assert app.get(f"{BASE}/requests.json?jurisdiction_id=35", environ_base=here).status_code == 403  # not public


@pytest.mark.parametrize(
    ("form", "why"),
    [
        ({"service_code": "jalan_jembatan"}, "a location is required: lat and long, or attribute[regency]"),
        ({"service_code": "jalan_jembatan", "address_string": "Jl. Sudirman 1"}, "an address cannot be located"),
        ({"service_code": "jalan_jembatan", "lat": "x", "long": "98"}, "lat: 'x' is not a number of degrees"),
        ({"service_code": "jalan_jembatan", "lat": "-7.25", "long": "112.75"}, "is in no regency of jurisdiction 12"),
        ({"service_code": "nope", **MEDAN}, "service_code: 'nope' is not a service of jurisdiction 12"),
        ({"service_code": "jalan_jembatan", "attribute[regency]": "35.78"}, "attribute[regency]: '35.78' is not a"),
        ({"service_code": "jalan_jembatan", "attribute[channel]": "fax", **MEDAN}, "attribute[channel]: must be"),
    ],
)
def test_a_rejected_post_says_why_and_is_kept_without_personal_fields(app, redis_client, form, why) -> None:
    # Personal fields under the names senders use, variants included: none is kept (an allow-list, not a deny-list).
    personal = {"email": "warga@example.id", "Email": "w@example.id", "attribute[email]": "x@example.id"}
    personal |= {"phone": "0812", "phone_number": "0813", "name": "Budi", "email ": "y@example.id"}
    answer = app.post(f"{BASE}/requests.json", data={"api_key": SUMUT_KEY, **personal, **form})
    assert answer.status_code == 400 and why in answer.get_json()[0]["description"], answer.get_json()
    [entry] = redis_client.xrange(Keys("12").dead_letter)
    kept = json.loads(entry[1]["raw"])
    assert kept == {k: v for k, v in form.items() if k != "address_string"} and why in entry[1]["error"]


def test_a_post_needs_a_key_of_the_province(app) -> None:
    assert app.post(f"{BASE}/requests.json", data={"service_code": "jalan_jembatan", **MEDAN}).status_code == 403
    wrong = app.post(f"{BASE}/requests.json", data={"api_key": JATIM_KEY, "service_code": "jalan_jembatan", **MEDAN})
    assert wrong.status_code == 403 and "not valid for jurisdiction 12" in wrong.get_json()[0]["description"]
    right = app.post(f"{BASE}/requests.json", data={"api_key": SUMUT_KEY, "service_code": "jalan_jembatan", **MEDAN})
    assert right.status_code == 200 and right.get_json()[0]["service_request_id"].startswith("12.71:O311-")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(["requests.json", "requests.xml", "services/jalan_jembatan.json", "requests/x.json"]),
    params=st.dictionaries(st.text(max_size=20), st.text(max_size=60), max_size=6),
)
def test_any_form_or_query_gets_an_answer_in_the_specifications_form(app, path, params) -> None:
    for answer in (app.get(f"{BASE}/{path}", query_string=params), app.post(f"{BASE}/{path}", data=params)):
        assert answer.status_code in (200, 400, 403, 404, 405, 429), (path, params, answer.status_code)
        if answer.status_code != 200:
            errors = answer.get_json() if path.endswith("json") else None
            assert errors is None or errors[0]["code"] == answer.status_code


def test_discovery_names_the_configured_address_not_the_host_a_client_sent(tmp_path, redis_url, redis_client) -> None:
    app = _app(tmp_path, redis_url, redis_client, public_url="https://komando.example.go.id/")
    answer = app.get(f"{BASE}/discovery.json", headers={"Host": "evil.example"})
    assert answer.get_json()["endpoints"][0]["url"] == "https://komando.example.go.id/open311/v2"
    answer = app.get(f"/p/35{BASE}/discovery.xml", headers={"Host": "evil.example"})
    assert b"<url>https://komando.example.go.id/p/35/open311/v2</url>" in answer.data and b"evil" not in answer.data


def test_answers_with_reported_data_are_never_cached(app) -> None:
    for path in [f"{BASE}/requests.json?api_key={SUMUT_KEY}", f"{BASE}/requests/12.71:SIM-1.xml?api_key={SUMUT_KEY}"]:
        assert app.get(path).headers["Cache-Control"] == "no-store", path
    assert app.get("/api/v1/snapshot").headers["Cache-Control"] == "no-store"  # refused or answered: never kept
    assert "no-store" not in app.get("/assets/wall.css").headers.get("Cache-Control", "")
