"""The API matches its OpenAPI description, checked from outside by schemathesis against the running app.

`python wsgi.py` serves the real app (gevent, real Redis, real SQLite); schemathesis reads
`/api/v1/openapi.json`, generates requests for every operation (examples, coverage and fuzzing phases) and checks
each answer: never a 5xx, a status code, content type, headers and body the description allows.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.support.faults import answers, app_environment, free_port, spawn, stop, wait_until

WALL_TOKEN = "openapi-wall-token-0123456789abcdef"
INGEST_TOKEN = "openapi-ingest-token-0123456789abcdef"


@pytest.fixture(scope="module")
def base_url(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("openapi")
    port = free_port()
    env = app_environment(
        redis_url, directory, WALL_TOKENS=f"w:{WALL_TOKEN}", INGEST_TOKENS=f"i:{INGEST_TOKEN}", PORT=str(port)
    )
    app = spawn(["wsgi.py"], directory / "app.log", **env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: answers(base), 60, "the app did not start")
        yield base
    finally:
        stop(app)


ST = str(Path(sys.executable).with_name("st"))
# Each operation with the credential it takes: the ingest token for events, a wall token for the snapshots.
RUNS = {
    "events": (["--include-path", "/api/v1/events"], INGEST_TOKEN),
    "snapshots": (["--include-path-regex", "^/api/v1/snapshot"], WALL_TOKEN),
    "screens": (["--include-path", "/api/v1/screens"], WALL_TOKEN),
    "open": (["--include-path", "/healthz", "--include-path", "/api/v1/openapi.json"], None),
}


@pytest.mark.parametrize("run", sorted(RUNS))
def test_the_api_keeps_to_its_description(base_url: str, run: str, tmp_path: Path) -> None:
    selection, token = RUNS[run]
    argv = [ST, "run", f"{base_url}/api/v1/openapi.json", *selection, "--max-examples", "30", "--seed", "1"]
    argv += ["--checks", "all", "--exclude-checks", "positive_data_acceptance,negative_data_rejection"]
    argv += ["--report", "junit", "--report-dir", str(tmp_path), "--no-color", "--suppress-health-check", "all"]
    if token:
        argv += ["--header", f"Authorization: Bearer {token}"]
    # Run in the test's directory: schemathesis keeps a cache of what it found in `.schemathesis/` there.
    result = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "passed" in result.stdout


def test_the_description_covers_every_api_route(base_url: str) -> None:
    document = requests.get(f"{base_url}/api/v1/openapi.json", timeout=5).json()
    assert document["openapi"] == "3.1.0"
    served = {"/api/v1/events", "/api/v1/snapshot", "/api/v1/snapshot/{code}", "/healthz", "/api/v1/openapi.json"}
    served |= {"/api/v1/screens"}
    assert set(document["paths"]) == served
