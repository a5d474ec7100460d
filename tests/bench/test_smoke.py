"""Every benchmark's smoke run: the smallest size, a few seconds each, so none can rot unnoticed. Each runs the
benchmark's own code through, on the test Redis (and Chromium, the served stack or SQL where it needs them), and
checks that it measured what it says; the figures themselves are `make bench`'s (docs/PERFORMANCE.md).
The two-minute soak has its smoke run in tests/browser/test_soak_short.py."""

from __future__ import annotations

import math
import os

import pytest
from sqlalchemy.engine import make_url

import bench.history_fill
from bench import (
    baseline,
    cluster,
    history,
    ingest_http,
    lag,
    latency,
    map_page,
    national,
    page,
    plans,
    rollup,
    screens,
    slow_clients,
    snapshot,
    wall,
)
from bench.harness import Figure, Server

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def server(redis_client, redis_url: str) -> Server:
    return Server("test", redis_url, redis_client.info("server")["redis_version"])


def measured(figures: list[Figure]) -> dict[str, float]:
    """The figures by name, once every one is a finite number (a failed run reports NaN or raises)."""
    assert figures
    bad = [f for f in figures if not math.isfinite(f.value)]
    assert not bad, bad
    return {f.name.strip(): f.value for f in figures}


def test_baseline_and_rollup(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rollup, "EVENTS", 2_000)
    bare = baseline.measure(server, 2_000)
    figures = measured(rollup.run(server, bare=bare))
    assert figures["rollup end to end (XADD -> XACK)"] > 0
    assert figures["apply only (LiveState.apply)"] > 0 and figures["Lua apply, server time per event"] > 0


def test_cluster(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "EVENTS", 1_000)
    monkeypatch.setattr(cluster, "CLUSTER_PORT", 7350)  # not the test suite's own cluster's ports
    figures = measured(cluster.run(server))
    assert figures["rollup end to end, 3-master cluster"] > 0


def test_national(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(national, "RATE", 400)
    monkeypatch.setattr(national, "SECONDS", 1)
    figures = measured(national.run(server))
    assert figures["national feed applied (38 provinces)"] > 0
    assert figures["province cycles a second"] > 0 and figures["national cycle, ms per tick"] > 0


def test_snapshot_and_wall(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "REQUESTS", {33: 300, 514: 600})
    monkeypatch.setattr(snapshot, "CALLS", 3)
    assert len(measured(snapshot.run(server))) == 4
    monkeypatch.setattr(wall, "TICKS", 4)
    figures = measured(wall.run(server))
    assert figures["whole model"] > figures["patch, mean"] > 0


def test_lag(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lag, "RATE", 200)
    monkeypatch.setattr(lag, "SECONDS", 1)
    assert all(value > 0 for value in measured(lag.run(server)).values())


def test_ingest_http(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_http, "BATCHES", 2)
    figures = measured(ingest_http.run(server))
    assert figures["HTTP ingest, batches of 1,000"] > 0


def test_slow_clients(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(slow_clients, "HELD", 20)
    monkeypatch.setattr(slow_clients, "ROUNDS", 1)
    assert all(value > 0 for value in measured(slow_clients.run(server)).values())


def test_history(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench.history_fill, "CACHE_DIR", tmp_path)
    url = os.environ.get("DATABASE_URL", "")
    postgres = url if url and make_url(url).get_backend_name() == "postgresql" else None
    figures = measured(history.run(events=2_000, archive_events=1_000, repeats=1, postgres=postgres))
    assert figures["archive_batch sustained (1k events)"] > 0


def test_plans() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url or make_url(url).get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL's plans (DATABASE_URL)")
    explained = plans.plans(2_000, national=True, lines=3, base_url=url)
    assert "#### handoff_province" in explained and "#### national_briefing" in explained
    assert explained.count("Execution Time") > 10  # every statement explained, run and timed


@pytest.mark.browser
def test_latency_and_screens(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(latency, "RATE", 200)
    monkeypatch.setattr(latency, "SECONDS", 2)
    monkeypatch.setattr(latency, "WARM_UP", 0.5)
    figures = measured(latency.run(server))
    assert figures["of it posted -> applied in Redis p50"] > 0
    # One size only, so no CPU share beyond N = 0 (the one figure left NaN).
    report = {f.name.strip(): f.value for f in screens.run(server, counts=(10,))}
    assert report["10 screens: connected of 10"] == 10
    assert report["10 screens:   pushes missed or out of order"] == 0
    assert report["10 screens:   fewest pushes one screen received"] > 0


@pytest.mark.browser
def test_page_and_map_page(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page, "PROVINCES", ("12",))
    monkeypatch.setattr(page, "SECONDS", 1)
    monkeypatch.setattr(page, "WARM_UP_S", 0.5)
    monkeypatch.setattr(page, "SETTLE_S", 0.5)
    figures = measured(page.run(server))
    assert figures["main thread per push"] > 0
    monkeypatch.setattr(map_page, "FRAMES", 5)
    monkeypatch.setattr(map_page, "LAYOUTS", 1)
    figures = measured(map_page.run(server))
    assert 0 < figures["regencies named on the map"] <= 38
