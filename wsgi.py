"""The web app: the Dash pages, the read API and the HTTP ingest API.

`python wsgi.py` serves it (what `make run` starts) with gunicorn: one worker process, as Socket.IO needs without
sticky sessions, on gevent (WebSocket through simple-websocket). A connection costs a greenlet, not a thread, so
hundreds of open screens and slow or idle clients do not keep others waiting (`python -m bench.slow_clients`).
Another gunicorn setup can load the factory `wsgi:create_wsgi_app()`.
"""

from __future__ import annotations

if __name__ == "__main__":  # before anything imports socket, ssl or threading
    from gevent import monkey

    monkey.patch_all()

import dash
import flask
import redis
from gunicorn.app.base import BaseApplication

from dashboard.app import create_app
from dashboard.services import EXTENSION
from ingest.api import create_ingest_blueprint
from ingest.gateway.api import create_gateway_blueprint
from ingest.open311.api import create_open311_blueprint
from store.contract.reference import Reference
from store.contract.settings import Settings
from store.history.db import WEB_BUSY_TIMEOUT_MS, make_sessionmaker


def create_server(
    settings: Settings | None = None, client: redis.Redis | None = None, reference: Reference | None = None
) -> dash.Dash:
    """The Dash app with the ingest, Open311 and text-message gateway blueprints registered on its Flask server; each
    checks tokens against the database of `settings.sqlalchemy_url()` (migrated beforehand). `reference`: see
    `dashboard.app.create_app`."""
    settings = settings or Settings.from_env()
    sessions = make_sessionmaker(settings.sqlalchemy_url(), WEB_BUSY_TIMEOUT_MS)
    app = create_app(settings, client, sessions, reference)
    lives = app.server.extensions[EXTENSION].lives
    shared = next(iter(lives.values())).redis
    references = {code: lives[code].reference for code in settings.provinces}
    app.server.register_blueprint(create_ingest_blueprint(settings, lambda: shared, references, sessions))
    app.server.register_blueprint(create_open311_blueprint(settings, lambda: shared, references, sessions))
    app.server.register_blueprint(create_gateway_blueprint(settings, lambda: shared, references, sessions))
    return app


def create_wsgi_app() -> flask.Flask:
    """The WSGI application (the Flask server, with Socket.IO's middleware) configured from the environment."""
    return create_server().server


class _Server(BaseApplication):
    """gunicorn with the options given here rather than a command line or a config file."""

    def __init__(self, options: dict[str, object]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self) -> flask.Flask:
        # Built in the worker, after the fork: no Redis or database connection is shared with the master.
        return create_wsgi_app()


def main() -> None:
    settings = Settings.from_env()
    host, port = settings.host, settings.port
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",  # IPv6 in brackets
        "workers": 1,
        "worker_class": "gevent",
        "worker_connections": settings.web_connections,  # open pages, API clients and slow clients together
        "graceful_timeout": 5,  # open WebSockets never finish by themselves; pages reconnect to the next server
        "accesslog": None,
        "errorlog": "-",
    }
    _Server(options).run()


if __name__ == "__main__":
    main()
