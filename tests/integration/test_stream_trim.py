"""The event stream loses an entry only once every consumer group has acknowledged it."""

from __future__ import annotations

from store.contract.keys import ARCHIVE_GROUP, LIVE_GROUP, Keys
from store.pipeline.streams import append_events, trim_acknowledged

KEYS = Keys("12")


def _ids(client) -> list[str]:
    return [entry_id for entry_id, _ in client.xrange(KEYS.events)]


def test_nothing_is_trimmed_while_a_group_is_missing(redis_client):
    append_events(redis_client, KEYS, [f'{{"n": {n}}}' for n in range(5)], cap=100)
    assert trim_acknowledged(redis_client, KEYS) == 0  # no group yet
    redis_client.xgroup_create(KEYS.events, LIVE_GROUP, id="0")
    redis_client.xreadgroup(LIVE_GROUP, "l", {KEYS.events: ">"})
    redis_client.xack(KEYS.events, LIVE_GROUP, *_ids(redis_client))
    assert trim_acknowledged(redis_client, KEYS) == 0  # the archive has not started: it has read nothing
    assert len(_ids(redis_client)) == 5


def test_only_what_every_group_acknowledged_goes(redis_client):
    ids = append_events(redis_client, KEYS, [f'{{"n": {n}}}' for n in range(10)], cap=100)
    for group in (LIVE_GROUP, ARCHIVE_GROUP):
        redis_client.xgroup_create(KEYS.events, group, id="0")
    # live reads all 10 and acknowledges 0-5 and 7; 6 stays pending. archive reads 9 and acknowledges 8.
    redis_client.xreadgroup(LIVE_GROUP, "l", {KEYS.events: ">"})
    redis_client.xack(KEYS.events, LIVE_GROUP, *ids[:6], ids[7], ids[8], ids[9])
    redis_client.xreadgroup(ARCHIVE_GROUP, "a", {KEYS.events: ">"}, count=9)
    redis_client.xack(KEYS.events, ARCHIVE_GROUP, *ids[:8])
    assert trim_acknowledged(redis_client, KEYS) == 6  # live's oldest pending is ids[6]
    assert _ids(redis_client) == ids[6:]
    redis_client.xack(KEYS.events, LIVE_GROUP, ids[6])
    assert trim_acknowledged(redis_client, KEYS) == 2  # archive: ids[8] pending
    assert _ids(redis_client) == ids[8:]
    redis_client.xack(KEYS.events, ARCHIVE_GROUP, ids[8])
    assert trim_acknowledged(redis_client, KEYS) == 1  # archive never read ids[9]
    assert _ids(redis_client) == ids[9:]
    redis_client.xreadgroup(ARCHIVE_GROUP, "a", {KEYS.events: ">"})
    redis_client.xack(KEYS.events, ARCHIVE_GROUP, ids[9])
    assert trim_acknowledged(redis_client, KEYS) == 1
    assert _ids(redis_client) == []
