"""The archive's lag, as /healthz reads it."""

from __future__ import annotations

from store.contract.keys import ARCHIVE_GROUP, Keys
from store.pipeline.lag import archive_lag


def test_lag_counts_undelivered_and_pending_entries(redis_client) -> None:
    keys = Keys("12")
    assert archive_lag(redis_client, keys)["exists"] is False

    ids = [redis_client.xadd(keys.events, {"e": f"{n}"}) for n in range(5)]
    redis_client.xgroup_create(keys.events, ARCHIVE_GROUP, id="0")
    oldest = int(ids[0].split("-")[0]) / 1000
    lag = archive_lag(redis_client, keys, now=oldest + 30)
    assert (lag["lag"], lag["pending"], lag["behind_seconds"]) == (5, 0, 30.0)

    redis_client.xreadgroup(ARCHIVE_GROUP, "archive-1", {keys.events: ">"}, count=2)
    lag = archive_lag(redis_client, keys)
    assert (lag["lag"], lag["pending"], lag["consumers"], lag["lag_capped"]) == (3, 2, 1, False)

    redis_client.xreadgroup(ARCHIVE_GROUP, "archive-1", {keys.events: ">"})
    redis_client.xack(keys.events, ARCHIVE_GROUP, *ids)
    lag = archive_lag(redis_client, keys)
    assert (lag["lag"], lag["pending"], lag["behind_seconds"]) == (0, 0, 0.0)
