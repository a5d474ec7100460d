"""Fixtures for fault tests: a redis-server process of our own, stopped at the end whatever happened."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
import redis

from tests.support.faults import RedisProcess


@pytest.fixture
def redis_process() -> Iterator[RedisProcess]:
    """A running redis-server on a private unix socket, with an append-only file; tests may stop and start it."""
    server = RedisProcess()
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.directory, ignore_errors=True)


@pytest.fixture
def server_client(redis_process: RedisProcess) -> Iterator[redis.Redis]:
    client = redis_process.client()
    yield client
    client.close()
