"""An Engine.IO handshake opens a session only for a signed-in user or wall screen: anyone else is answered 401 at
once and holds nothing in the server's memory, however many times they try."""

from __future__ import annotations

import json

from dashboard.app import socketio_of
from tests.support.security import served_app

WALL_TOKEN = "handshake-wall-token-0123456789abcdef"
HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def test_only_the_signed_in_open_engine_io_sessions(tmp_path, redis_url, redis_client) -> None:
    app, sessions = served_app(tmp_path, redis_url, redis_client, secret_key="t", wall_tokens={WALL_TOKEN: "wall"})
    engine = socketio_of(app).server.eio
    stranger = app.server.test_client()
    for _ in range(500):
        refused = stranger.get(HANDSHAKE)
        assert refused.status_code == 401 and refused.get_json() == {"error": "sign in before connecting"}
    assert stranger.get("/p/35/socket.io/?EIO=4&transport=websocket").status_code in (401, 404)
    assert len(engine.sockets) == 0

    screen = app.server.test_client()
    assert screen.get(f"/?token={WALL_TOKEN}").status_code == 302  # signs the screen in
    opened = screen.get(HANDSHAKE)
    assert opened.status_code == 200
    sid = json.loads(opened.data[1:])["sid"]
    assert list(engine.sockets) == [sid]
    # A request of an open session is not a handshake: it is Engine.IO's to answer. (A POST, a pong: a GET
    # would be a long poll, held until the next ping.)
    assert stranger.post(f"{HANDSHAKE}&sid={sid}", data="3").status_code == 200
    sessions.kw["bind"].dispose()
