"""A malformed Socket.IO packet, sent by any client over Engine.IO, is refused with one log line, not a traceback."""

from __future__ import annotations

import json
import logging

import pytest

from tests.support.security import served_app

WALL_TOKEN = "packets-wall-token-0123456789abcdef"


@pytest.mark.parametrize("packet", [b"4Zzz", b'42["x",{bad', b"4" + b"9" * 40])
def test_a_malformed_packet_logs_one_line(tmp_path, redis_url, redis_client, caplog, packet: bytes) -> None:
    app, sessions = served_app(tmp_path, redis_url, redis_client, secret_key="t", wall_tokens={WALL_TOKEN: "wall"})
    client = app.server.test_client()
    client.get(f"/?token={WALL_TOKEN}")  # only a signed-in screen or user opens a session
    opened = client.get("/socket.io/?EIO=4&transport=polling")
    sid = json.loads(opened.data[1:])["sid"]
    with caplog.at_level(logging.INFO, logger="engineio.server"):
        answer = client.post(f"/socket.io/?EIO=4&transport=polling&sid={sid}", data=packet)
    assert answer.status_code == 200
    logged = [r for r in caplog.records if r.name == "engineio.server" and r.levelno >= logging.WARNING]
    assert len(logged) == 1 and logged[0].exc_info is None and logged[0].levelname == "WARNING", logged
    assert "malformed Socket.IO packet refused" in logged[-1].getMessage()
    sessions.kw["bind"].dispose()
