"""A 503 whose body Redis did store (the reply was lost on the way back) is harmless: the sender resends it, and
every event counts once live and is archived once.

The network between the app and Redis is the edge of the world here: a client that runs the command on the real
Redis and then loses the reply stands in for a connection cut at that moment.
"""

from __future__ import annotations

from datetime import UTC, datetime

import redis
from flask import Flask
from sqlalchemy import func, select

from ingest.api import create_ingest_blueprint
from store.contract.keys import LIVE_GROUP, Keys
from store.contract.settings import Settings
from store.history.db import make_sessionmaker
from store.history.models import StatusChange
from store.servers.redis_clients import connect
from tests.integration.test_api import TOKEN, event
from tests.integration.test_api import sessions as token_sessions
from tests.support.faults import mismatches
from workers.archive import archive_worker
from workers.consumer import StreamWorker, WorkerSpec
from workers.live import LiveRollup

__all__ = ["token_sessions"]
KEYS = Keys("12")


class ReplyLostOnce:
    """A Redis client whose first script call runs on the server, then fails as a cut connection would."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self.cut = True

    def _run(self, command: str, *args, **kwargs):
        result = getattr(self.client, command)(*args, **kwargs)
        if self.cut:
            self.cut = False
            raise redis.ConnectionError("Connection closed by server.")
        return result

    def evalsha(self, *args, **kwargs):
        return self._run("evalsha", *args, **kwargs)

    def eval(self, *args, **kwargs):
        return self._run("eval", *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.client, name)


def test_a_body_resent_after_a_lost_reply_counts_once(redis_client, redis_url, reference, token_sessions, db_url):
    shared = connect(redis_url)
    flaky = ReplyLostOnce(shared)
    app = Flask(__name__)
    app.register_blueprint(
        create_ingest_blueprint(Settings(), lambda: flaky, {reference.province: reference}, token_sessions)
    )
    client = app.test_client()
    now = datetime.now(UTC)
    body = [event(n, ts=now.isoformat()) for n in range(5)]
    headers = {"Authorization": f"Bearer {TOKEN}"}

    first = client.post("/api/v1/events", json=body, headers=headers)
    assert first.status_code == 503 and first.headers["Retry-After"]
    assert "send it again" in first.get_json()["error"]
    assert redis_client.xlen(KEYS.events) == 5  # kept, though the sender was told 503
    assert client.post("/api/v1/events", json=body, headers=headers).status_code == 202
    assert redis_client.xlen(KEYS.events) == 10  # the stream holds the body twice...

    live = WorkerSpec(LIVE_GROUP, LiveRollup(redis_client, reference, lambda _cycle: None))
    StreamWorker(redis_client, KEYS, live, "live-lost", burst=True).run()
    archive = archive_worker(Settings(database_url=db_url), redis_client, reference)
    StreamWorker(redis_client, KEYS, archive, "archive-lost", burst=True).run()

    events = [{**e, "ts": datetime.fromisoformat(e["ts"]).astimezone(UTC).isoformat()} for e in body]
    assert mismatches(redis_client, reference, events, now) == {}  # ...and live counts it once
    factory = make_sessionmaker(db_url)
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(StatusChange)) == 5  # and the archive once
    factory.kw["bind"].dispose()
