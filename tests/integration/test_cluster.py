"""On a Redis Cluster (REDIS_CLUSTER=1): each province's keys stay in one slot, and the provinces spread over the
masters, so the nation's streams are not all on one machine."""

from __future__ import annotations

from collections import Counter

import pytest

from store.contract.keys import Keys
from store.contract.provinces import province_names
from store.pipeline.streams import append_events
from store.servers.redis_clients import is_cluster


def test_the_provinces_streams_spread_over_the_masters(redis_url, redis_client) -> None:
    if not is_cluster(redis_url):
        pytest.skip("needs a Redis Cluster (REDIS_CLUSTER=1)")
    masters = Counter()
    for code in province_names():
        keys = Keys(code)
        append_events(redis_client, keys, ['{"event_id": "x"}'], 1000)
        slots = {redis_client.keyslot(key) for key in (keys.events, keys.cycle, keys.dead_letter, keys.open("x"))}
        assert len(slots) == 1  # a province's keys together: its scripts and transactions run on one master
        masters[redis_client.get_node_from_key(keys.events).port] += 1
    assert len(masters) == 3 and min(masters.values()) >= 5, masters
    sizes = [node.redis_connection.dbsize() for node in redis_client.get_primaries()]
    assert all(sizes) and sum(sizes) == 38
