"""Writing to the province's event stream and dead-letter stream."""

from __future__ import annotations

from datetime import UTC, datetime

import redis

from store.keys import Keys

DEAD_LETTER_MAXLEN = 100_000
RAW_LIMIT = 64 * 1024  # a dead-letter entry keeps enough of the input to diagnose it, not a whole upload


def append_events(client: redis.Redis, keys: Keys, records: list[str], maxlen: int) -> list[str]:
    """XADD canonical records (field `e`) in one MULTI/EXEC, so a batch is accepted whole or not at all."""
    if not records:
        return []
    pipe = client.pipeline(transaction=True)
    for record in records:
        pipe.xadd(keys.events, {"e": record}, maxlen=maxlen, approximate=True)
    return [i.decode() if isinstance(i, bytes) else i for i in pipe.execute()]


def dead_letter(client: redis.Redis, keys: Keys, raw: str, error: str, source: str) -> None:
    """Keep rejected input and the reason in the capped dead-letter stream."""
    client.xadd(
        keys.dead_letter,
        {
            "raw": raw[:RAW_LIMIT],
            "error": error,
            "source": source,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        maxlen=DEAD_LETTER_MAXLEN,
        approximate=True,
    )
