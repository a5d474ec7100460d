"""A network link we can cut: a TCP forwarder on loopback in front of the app. A browser that reaches the app
through it loses its socket (and everything else) the moment `cut` closes every connection and the port."""

from __future__ import annotations

import contextlib
import socket
import threading


class CuttableLink:
    """Forwards connections on `port` to `target` ("host", port) until `cut`."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # cut
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                _shut(end)

    def cut(self) -> None:
        """Close the port and every connection through it, both ways: as if the screen's cable were pulled."""
        self.listener.close()
        with self.lock:
            for end in self.open:
                _shut(end)
                end.close()


def _shut(end: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the other side
        end.shutdown(socket.SHUT_RDWR)
