"""A wall screen for tests: signs in with a wall token (a session of its own), connects over Socket.IO with
python-socketio, and applies every push as the page does (`assets/push.js`): a whole model, then JSON Merge
Patches that must follow the last push applied, else the whole model is fetched again."""

from __future__ import annotations

import time
from typing import Any

import orjson
import requests
import socketio
from json_merge_patch import merge

ROOM = "province:id"


class OrjsonPackets:
    """python-socketio's packet JSON through orjson (its `json` option)."""

    @staticmethod
    def dumps(value: Any, **_options: Any) -> str:
        return orjson.dumps(value).decode()

    @staticmethod
    def loads(text: str | bytes, **_options: Any) -> Any:
        return orjson.loads(text)


class Screen:
    """One screen: its session, its socket and the model it holds."""

    def __init__(self, url: str, token: str, transport: str = "websocket") -> None:
        self.url = url
        self.token = token
        self.transport = transport
        self.http = requests.Session()  # also the socket's: long-polling keeps the load balancer's cookie
        # The server's frames are its own JSON: checking their UTF-8 in pure Python would make a test's
        # hundred screens slow to follow (websocket-client's option, passed through by python-engineio).
        self.socket = socketio.Client(
            reconnection=False,
            http_session=self.http,
            json=OrjsonPackets,
            websocket_extra_options={"skip_utf8_validation": True},
        )
        self.model: dict[str, Any] | None = None
        self.epoch: int | None = None
        self.seq: int | None = None
        self.applied = 0
        self.gaps = 0
        self.dropped = False
        self.error: str | None = None  # why it could not connect
        self.socket.on("view", self.receive)
        self.socket.on("disconnect", self._dropped)

    def _dropped(self, *_reason: Any) -> None:
        self.dropped = True

    def connect(self, patience: float = 120) -> bool:
        """Sign in and connect; a sign-in answered 429 or 503 is tried again after its Retry-After, as a kiosk
        browser reloading would, for up to `patience` seconds."""
        deadline = time.monotonic() + patience
        try:
            while True:
                answer = self.http.get(f"{self.url}/?token={self.token}", timeout=60)
                if answer.status_code not in (429, 503) or time.monotonic() > deadline:
                    break
                time.sleep(float(answer.headers.get("Retry-After", "1")))
            answer.raise_for_status()
            cookie = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
            self.socket.connect(
                self.url,
                headers={"Cookie": cookie},
                auth={"pathname": "/", "lang": "id"},
                transports=[self.transport],
                wait_timeout=60,
            )
        except (requests.RequestException, socketio.exceptions.ConnectionError) as exc:
            self.error = repr(exc)
            return False
        return True

    def receive(self, push: dict[str, Any]) -> None:
        if "model" in push:
            self._take(push, push["model"])
        elif self.model is not None and (push["epoch"], push["base"]) == (self.epoch, self.seq):
            self._take(push, merge(self.model, push["patch"]))
        else:
            self.gaps += 1
            whole = self.http.get(f"{self.url}/api/v1/view/{ROOM}", timeout=30).json()
            self._take(whole, whole["model"])

    def _take(self, push: dict[str, Any], model: dict[str, Any]) -> None:
        self.model, self.epoch, self.seq = model, push["epoch"], push["seq"]
        self.applied += 1
