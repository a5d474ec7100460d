"""A screen whose connection falls behind is not queued push after push: what it misses waits merged into one push,
sent once its connection has written out what it had (`dashboard.fanout`). The web app (`python wsgi.py`) serves two
screens of the same room: one reads all the time, the other stops reading while large pushes come through the
Socket.IO message queue in Redis, as the live worker sends them.
"""

from __future__ import annotations

import json
import threading
import time
from itertools import pairwise

import requests
import websocket

from store.contract.rooms import VIEW_EVENT, socket_room
from tests.support.faults import app_environment, free_port, spawn, stop, wait_for_app
from workers.live import socketio_emitter

WALL_TOKEN = "slow-screen-wall-token-0123456789"
PUSHES = 60
BLOB = 256 * 1024  # each push carries this much: together far more than the sockets' buffers hold
ROOM = "province:id"


def _push(seq: int) -> dict:
    figures = {"n": seq, "blob": chr(ord("a") + seq % 26) * BLOB}
    head = {"room": ROOM, "epoch": 1, "seq": seq, "served_at": round(time.time() * 1000)}
    return {**head, "model": figures} if seq == 1 else {**head, "base": seq - 1, "patch": figures}


def _open_screen(port: int, cookie: str) -> websocket.WebSocket:
    """A wall screen's Socket.IO connection over a raw WebSocket, joined to the province wall's room."""
    screen = websocket.create_connection(
        f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket", header=[f"Cookie: session={cookie}"], timeout=10
    )
    assert screen.recv().startswith("0")  # Engine.IO open
    screen.send('40{"pathname": "/"}')
    assert screen.recv().startswith("40")  # Socket.IO connected, in the room
    return screen


def _pushes_until(screen: websocket.WebSocket, last: int) -> list[dict]:
    """The view-model pushes the screen reads until the one numbered `last` (answering the server's pings)."""
    got: list[dict] = []
    while not got or got[-1]["seq"] < last:
        message = screen.recv()
        if message == "2":
            screen.send("3")
        elif message.startswith("42"):
            event, push = json.loads(message[2:])
            if event == VIEW_EVENT:
                got.append(push)
    return got


def test_a_screen_behind_gets_one_merged_push_not_a_queue(redis_process, tmp_path) -> None:
    port = free_port()
    env = app_environment(redis_process.url, tmp_path, WALL_TOKENS=f"w:{WALL_TOKEN}", PORT=str(port))
    app = spawn(["wsgi.py"], tmp_path / "app.log", **env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_app(base, app, tmp_path / "app.log")
        wall = requests.Session()
        assert wall.get(f"{base}/?token={WALL_TOKEN}", timeout=5).status_code == 200
        cookie = wall.cookies["session"]
        reader, slow = _open_screen(port, cookie), _open_screen(port, cookie)  # the slow one reads nothing yet
        read: list[list[dict]] = []

        def _read():
            try:
                read.append(_pushes_until(reader, PUSHES))
            except Exception as exc:
                read.append(repr(exc))

        reading = threading.Thread(target=_read, daemon=True)
        reading.start()

        emit = socketio_emitter(redis_process.url)
        for seq in range(1, PUSHES + 1):
            emit(VIEW_EVENT, _push(seq), socket_room("12", ROOM))
        reading.join(60)
        assert read and read[0][-1]["seq"] == PUSHES, "the reading screen did not get every push"
        got = _pushes_until(slow, PUSHES)
        reader.close()
        slow.close()
    finally:
        stop(app)

    # Fewer, merged pushes, each following the one before it, and the last state whole.
    assert len(got) < PUSHES / 2, f"{len(got)} pushes: the slow screen was queued every one"
    assert "model" in got[0], "a screen starts from a whole model (the first pushes merged into it)"
    model = dict(got[0]["model"])
    for before, push in pairwise(got):
        assert push["base"] == before["seq"], "a merged push must follow the last one the screen got"
        model.update(push["patch"])
    assert model == _push(PUSHES)["patch"]
