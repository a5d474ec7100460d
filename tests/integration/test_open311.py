"""Open311 GeoReport v2, checked by tools nobody here wrote, against the running app (`python wsgi.py`, real
Redis, real SQLite, the live and archive workers):

- schemathesis, against the GeoReport v2 description published in open311/schema-validation
  (`tests/support/open311/`, CC BY 3.0), patched in memory to the specification (wiki.open311.org/GeoReport_v2):
  1. the singular `/request/{service_request_id}` is `/requests/{service_request_id}`, and it answers an array;
  2. `tokens/{token_id}` answers an array too;
  3. `jurisdiction_id` is optional (a server may serve a default jurisdiction);
  4. `response_format` is `json` or `xml`, the only two formats;
  5. `POST requests` takes a form-encoded body (`formData`, not query parameters), with `api_key` a form field
     (here, the test's ingest token), `description`, and the attributes as `attribute[<code>]`;
  6. `GET requests` and `requests/{id}` take an optional `api_key`;
  7. every operation's errors: an array of `{code, description}` (`Errors`) with 400, 403, 404, 429 or 503;
  8. the test's own data, so that requests reach past the first check: jurisdiction 12 (Sumatera Utara), its
     service codes, and latitudes and longitudes around it.
- georeport (PyPI), an existing Open311 client library, reading back what was posted.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from georeport import GeoReport

from store.contract.reference import load_reference
from store.live.state import LiveState
from store.servers.redis_clients import connect
from tests.support.faults import app_environment, free_port, spawn, stop, wait_for_app, wait_until

INGEST_TOKEN = "open311-ingest-token-0123456789abcdef"
DESCRIPTION = Path(__file__).parents[1] / "support" / "open311" / "georeport-v2-swagger.json"
ST = str(Path(sys.executable).with_name("st"))
ERRORS = {"type": "array", "items": {"$ref": "#/definitions/Error"}}
AROUND_SUMUT = {"lat": (0.5, 4.5), "long": (97.0, 100.5)}


@pytest.fixture(scope="module")
def base_url(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("open311")
    port = free_port()
    env = app_environment(redis_url, directory, INGEST_TOKENS=f"vendor:{INGEST_TOKEN}", PORT=str(port))
    # Reading is public here, screened, and not rate-limited to speak of (schemathesis reads a lot): the limits
    # have their tests in test_open311_access.py.
    env.update(OPEN311_PUBLIC="12", OPEN311_TITLES="screened", OPEN311_READS_PER_MINUTE="100000")
    processes = [spawn(["wsgi.py"], directory / "app.log", **env)]
    processes += [spawn(["-m", "workers", role], directory / f"{role}.log", **env) for role in ("live", "archive")]
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_app(base, processes[0], directory / "app.log")
        yield base
    finally:
        for process in processes:
            stop(process)


def patched_description(api_key: str) -> dict[str, Any]:
    """The published description with the patches of this module's docstring."""
    document = copy.deepcopy(json.loads(DESCRIPTION.read_text(encoding="utf-8")))
    paths, parameters = document["paths"], document["parameters"]
    single = paths.pop("/request/{service_request_id}.{response_format}")  # 1
    single["get"]["responses"]["200"]["schema"] = {"type": "array", "items": {"$ref": "#/definitions/Request"}}
    paths["/requests/{service_request_id}.{response_format}"] = single
    tokens = paths["/tokens/{token_id}.{response_format}"]["get"]["responses"]["200"]  # 2
    tokens["schema"] = {"type": "array", "items": {"$ref": "#/definitions/TokenResponse"}}
    parameters["jurisdiction_id"]["required"] = False  # 3
    parameters["response_format"] = {**parameters["response_format"], "enum": ["json", "xml"]}  # 4
    parameters["response_format"].pop("format", None)
    post = paths["/requests.{response_format}"]["post"]  # 5
    post.pop("security", None)
    post["consumes"] = ["application/x-www-form-urlencoded"]
    fields = [p for p in post["parameters"] if "$ref" in p or p["name"] != "attribute"]
    for field in fields:
        if "$ref" not in field:
            field["in"] = "formData"
    fields += [
        {"name": "api_key", "in": "formData", "required": True, "type": "string", "enum": [api_key]},
        {"name": "description", "in": "formData", "required": False, "type": "string", "maxLength": 4000},
        {"name": "attribute[regency]", "in": "formData", "required": False, "type": "string"},
        {"name": "attribute[channel]", "in": "formData", "required": False, "type": "string"},
    ]
    post["parameters"] = fields
    for path in ("/requests.{response_format}", "/requests/{service_request_id}.{response_format}"):  # 6
        reading = paths[path]["get"]
        reading.pop("security", None)
        reading["parameters"].append({"name": "api_key", "in": "query", "required": False, "type": "string"})
    document["definitions"]["Error"] = {  # 7
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    }
    for operations in paths.values():
        for operation in operations.values():
            for status in ("400", "403", "404", "429", "503"):
                operation["responses"][status] = {"description": "errors", "schema": ERRORS}
    parameters["jurisdiction_id"]["enum"] = ["12"]  # 8
    codes = sorted(load_reference("12").categories)
    for operation in (post, paths["/services/{service_code}.{response_format}"]["get"]):
        for parameter in operation["parameters"]:
            if parameter.get("name") == "service_code":
                parameter["enum"] = codes
            elif parameter.get("name") in AROUND_SUMUT:
                parameter["minimum"], parameter["maximum"] = AROUND_SUMUT[parameter["name"]]
    return document


def test_open311_keeps_to_the_published_description_patched_to_the_specification(base_url, tmp_path) -> None:
    description = tmp_path / "georeport-v2.json"
    description.write_text(json.dumps(patched_description(INGEST_TOKEN)), encoding="utf-8")
    argv = [ST, "run", str(description), "--url", f"{base_url}/open311/v2", "--max-examples", "15", "--seed", "1"]
    argv += ["--checks", "all", "--exclude-checks", "positive_data_acceptance,negative_data_rejection"]
    argv += ["--no-color", "--suppress-health-check", "all"]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    print(result.stdout[-3000:])
    assert "passed" in result.stdout


def test_a_request_posted_over_open311_is_read_back_by_an_open311_client(base_url, redis_url) -> None:
    form = {
        "api_key": INGEST_TOKEN,
        "service_code": "jalan_jembatan",
        "lat": "3.5952",  # Kota Medan
        "long": "98.6722",
        "description": "Jalan berlubang di Jl. Gatot Subroto, hubungi 0812-3456-7890",
        "email": "warga@example.id",
        "first_name": "Budi",
    }
    key = {"Idempotency-Key": "vendor-report-0001"}
    posted = requests.post(f"{base_url}/open311/v2/requests.json", data=form, headers=key, timeout=10)
    assert posted.status_code == 200, posted.text
    [created] = posted.json()
    request_id = created["service_request_id"]
    assert request_id.startswith("12.71:O311-") and "Dinas Pekerjaan Umum" in created["service_notice"]
    again = requests.post(f"{base_url}/open311/v2/requests.json", data=form, headers=key, timeout=10).json()
    assert again[0]["service_request_id"] == request_id  # sent again with its key: the same request
    # Without a key, the same words from another citizen are another request.
    other = requests.post(f"{base_url}/open311/v2/requests.json", data=form, timeout=10).json()
    assert other[0]["service_request_id"] != request_id

    client = GeoReport(f"{base_url}/open311/v2", jurisdiction="12")
    assert {s["service_code"] for s in client.get_service_list()} >= {"jalan_jembatan", "air_bersih"}
    assert [a["code"] for a in client.get_service_definition("jalan_jembatan")["attributes"]] == ["regency", "channel"]
    read = wait_until(lambda: _read(client, request_id), 30, "the request never reached the archive", every=0.5)
    assert read["status"] == "open" and read["service_code"] == "jalan_jembatan"
    assert read["address"] == "Kota Medan" and read["agency_responsible"].startswith("Dinas Pekerjaan Umum")
    assert read["description"] == "Jalan berlubang di Jl. Gatot Subroto, hubungi […]"  # the phone number screened
    assert "warga@example.id" not in json.dumps(read) and "Budi" not in json.dumps(read)
    assert read["expected_datetime"].endswith("23:59:59+07:00")  # the end of a working day, in WIB
    listed = client.get_service_requests(service_code="jalan_jembatan", status="open")
    assert [r["service_request_id"] for r in listed].count(request_id) == 1  # counted once
    xml = GeoReport(f"{base_url}/open311/v2", jurisdiction="12", output_format="xml")
    assert xml.get_service_request(request_id)["service_request_id"] == request_id

    # The live state counts it once, like any request from any API: the wall's figures come from there.
    live = LiveState(connect(redis_url), load_reference("12"))  # not `redis_client`: it would empty the app's Redis
    # The keyed request once (though sent twice), the other citizen's once.
    wait_until(lambda: live.regency_snapshot("12.71")["received_today"] == 2, 30, "the live state never counted them")
    assert live.regency_snapshot("12.71")["by_category"] == {"jalan_jembatan": 2}


def _read(client: GeoReport, request_id: str) -> dict | None:
    try:
        return client.get_service_request(request_id)
    except requests.HTTPError:
        return None
