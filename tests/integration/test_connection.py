"""The web app's Redis pool under a burst: more requests at once than connections wait their turn, none fails."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import redis

from store.servers.redis_clients import POOL_SIZE, is_cluster, web_client


def test_a_burst_larger_than_the_pool_waits_instead_of_failing(redis_url, redis_client) -> None:
    client = web_client(redis_url)
    burst = POOL_SIZE + 50

    def hold() -> object:  # each request holds its connection for 0.3 s, as a slow command would
        try:
            return client.blpop(["scc:test:never"], timeout=0.3)
        except redis.RedisError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=burst) as pool:
        answers = list(pool.map(lambda _: hold(), range(burst)))
    assert [a for a in answers if isinstance(a, Exception)] == []
    if is_cluster(redis_url):
        pools = [node.redis_connection.connection_pool for node in client.get_primaries()]
    else:
        pools = [client.connection_pool]
    assert {pool.max_connections for pool in pools} == {POOL_SIZE}
    client.close()
