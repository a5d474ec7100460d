"""Redis clients: the workers' (`connect`) and the web app's, one pool shared by every request of the process."""

from __future__ import annotations

import redis

# Under gevent a process serves thousands of connections, and a burst of requests may all want Redis at once:
# redis-py's default pool refuses the 101st ("Too many connections"). This pool waits for a connection instead.
POOL_SIZE = 200
POOL_WAIT_SECONDS = 5.0


def web_client(url: str) -> redis.Redis:
    """A client for `url` whose pool makes a request wait up to `POOL_WAIT_SECONDS` for one of `POOL_SIZE`
    connections (then `redis.ConnectionError`, which the app answers with 503 and Retry-After)."""
    pool = redis.BlockingConnectionPool.from_url(url, max_connections=POOL_SIZE, timeout=POOL_WAIT_SECONDS)
    return redis.Redis(connection_pool=pool)


def connect(url: str) -> redis.Redis:
    """A client for a worker or a command: one connection per thread that uses it at once."""
    return redis.Redis.from_url(url)
