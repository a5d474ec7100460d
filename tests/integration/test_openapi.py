"""The API matches its OpenAPI description, checked from outside by schemathesis against the running app.

`python wsgi.py` serves the real app (gevent, real Redis, real SQLite); schemathesis reads
`/api/v1/openapi.json`, generates requests for every operation (examples, coverage and fuzzing phases) and checks
each answer: never a 5xx, a status code, content type, headers and body the description allows.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests

from store.contract import clock
from store.contract.events import to_record, validate_event
from store.contract.reference import Reference
from store.contract.settings import Settings
from store.contract.tracking import TRACKING_PATH
from store.history.db import upgrade
from store.live.cycle import CycleRunner
from store.live.state import LiveState
from store.notices.links import ACK_PATH
from tests.support.faults import received_event, served_wsgi
from wsgi import create_server

WALL_TOKEN = "openapi-wall-token-0123456789abcdef"
INGEST_TOKEN = "openapi-ingest-token-0123456789abcdef"


@pytest.fixture(scope="module")
def base_url(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("openapi")
    with served_wsgi(redis_url, directory, WALL_TOKENS=f"w:{WALL_TOKEN}", INGEST_TOKENS=f"i:{INGEST_TOKEN}") as base:
        yield base


ST = str(Path(sys.executable).with_name("st"))
# Each operation with the credential it takes: the ingest token for events, a wall token for the snapshots.
RUNS = {
    "events": (["--include-path", "/api/v1/events"], INGEST_TOKEN),
    "gateway": (["--include-path-regex", "^/api/v1/gateway/"], INGEST_TOKEN),
    "snapshots": (["--include-path-regex", "^/api/v1/snapshot"], WALL_TOKEN),
    "screens": (["--include-path", "/api/v1/screens"], WALL_TOKEN),
    "views": (["--include-path-regex", "^/api/v1/view/"], WALL_TOKEN),
    "open": (
        [
            *("--include-path", "/healthz", "--include-path", "/api/v1/openapi.json"),
            *("--include-path", TRACKING_PATH, "--include-path-regex", f"^{ACK_PATH}/"),
        ],
        None,
    ),
}


@pytest.mark.parametrize("run", sorted(RUNS))
def test_the_api_keeps_to_its_description(
    base_url: str, run: str, tmp_path: Path, redis_client: redis.Redis, reference: Reference
) -> None:
    selection, token = RUNS[run]
    # Figures published, so the views answer their model (200), not "on its way" (204).
    live = LiveState(redis_client, reference)
    now = clock.now()
    live.apply([to_record(validate_event(received_event("openapi-1"), reference, now))], now)
    CycleRunner(live).publish()
    argv = [ST, "run", f"{base_url}/api/v1/openapi.json", *selection, "--max-examples", "30", "--seed", "1"]
    argv += ["--checks", "all", "--exclude-checks", "positive_data_acceptance,negative_data_rejection"]
    argv += ["--report", "junit", "--report-dir", str(tmp_path), "--no-color", "--suppress-health-check", "all"]
    if token:
        argv += ["--header", f"Authorization: Bearer {token}"]
    # Run in the test's directory: schemathesis keeps a cache of what it found in `.schemathesis/` there.
    result = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "passed" in result.stdout
    if run == "open":  # the health check, the description, the tracking page, a notice's link (GET and POST)
        assert "5 selected" in result.stdout, result.stdout[:2000]


def test_the_description_covers_every_api_route(
    base_url: str, redis_url: str, redis_client: redis.Redis, tmp_path: Path
) -> None:
    """Every route the real app serves under `/api/` (and `/healthz`, the citizens' `/lacak`, a notice's link) is
    described, and nothing else."""
    settings = Settings(redis_url=redis_url, database_url=f"sqlite:///{tmp_path / 'app.db'}", secret_key="test")
    upgrade(settings.sqlalchemy_url())
    app = create_server(settings, redis_client)
    served = {
        re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        for rule in app.server.url_map.iter_rules()
        if rule.rule.startswith(("/api/", ACK_PATH)) or rule.rule in ("/healthz", TRACKING_PATH)
    }
    document = requests.get(f"{base_url}/api/v1/openapi.json", timeout=5).json()
    assert document["openapi"] == "3.1.0"
    assert "/api/v1/view/regency:{code}:{lang}" in served  # the routes' variables read as the description's
    assert set(document["paths"]) == served
