"""Redis clients: the workers' (`connect`) and the web app's (`web_client`), for one Redis server or a Redis Cluster.

A cluster is named by `redis+cluster://host:port[,host:port...]` (any of its masters; the client learns the rest).
Every key of a province carries the province's hash tag (`store.contract.keys`), so a province's streams, live state and
scripts stay in one slot, and the provinces spread over the masters.
"""

from __future__ import annotations

import redis
from redis.cluster import ClusterNode, RedisCluster

CLUSTER_SCHEME = "redis+cluster://"
# Under gevent a process serves thousands of connections, and a burst of requests may all want Redis at once:
# redis-py's default pool refuses the 101st ("Too many connections"). This pool waits for a connection instead.
POOL_SIZE = 200
POOL_WAIT_SECONDS = 5.0
# Everything the project keeps in Redis is text (JSON, stream ids, names): every client answers with `str`.
TEXT = {"decode_responses": True}


def is_cluster(url: str) -> bool:
    return url.startswith(CLUSTER_SCHEME)


def _nodes(url: str) -> list[ClusterNode]:
    hosts = url.removeprefix(CLUSTER_SCHEME).split("/", 1)[0].split(",")
    return [ClusterNode(host, int(port)) for host, port in (item.rsplit(":", 1) for item in hosts)]


def connect(url: str) -> redis.Redis:
    """A client for a worker or a command: one connection per thread that uses it at once."""
    if is_cluster(url):
        return RedisCluster(startup_nodes=_nodes(url), **TEXT)  # type: ignore[return-value]
    return redis.Redis.from_url(url, **TEXT)


def web_client(url: str) -> redis.Redis:
    """A client for `url` whose pool makes a request wait up to `POOL_WAIT_SECONDS` for one of `POOL_SIZE`
    connections (then `redis.ConnectionError`, which the app answers with 503 and Retry-After); on a cluster, up
    to `POOL_SIZE` connections to each master."""
    if is_cluster(url):
        node = _nodes(url)[0]  # the client learns the other masters from it
        return RedisCluster.from_url(  # type: ignore[return-value]
            f"redis://{node.host}:{node.port}",
            connection_pool_class=redis.BlockingConnectionPool,
            max_connections=POOL_SIZE,
            timeout=POOL_WAIT_SECONDS,
            **TEXT,
        )
    pool = redis.BlockingConnectionPool.from_url(url, max_connections=POOL_SIZE, timeout=POOL_WAIT_SECONDS, **TEXT)
    return redis.Redis(connection_pool=pool)


def message_queue_url(url: str) -> str:
    """The URL Socket.IO's Redis message queue uses: on a cluster, one of its masters (a PUBLISH reaches the
    subscribers on every node of a cluster)."""
    if not is_cluster(url):
        return url
    node = _nodes(url)[0]
    return f"redis://{node.host}:{node.port}/0"
