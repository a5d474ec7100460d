"""The web app as one process: the Dash pages, the read API and the HTTP ingest API.

`python wsgi.py` serves it (what `make run` starts); under gunicorn use the factory `wsgi:create_server()`.
"""

from __future__ import annotations

import os

import dash
import redis

from dashboard.app import create_app, socketio_of
from dashboard.context import EXTENSION
from ingest.api import create_ingest_blueprint
from store.config import Settings
from store.db import make_sessionmaker
from store.reference import Reference


def create_server(
    settings: Settings | None = None, client: redis.Redis | None = None, reference: Reference | None = None
) -> dash.Dash:
    """The Dash app with the ingest blueprint registered on its Flask server; both check tokens against the
    database of `settings.sqlalchemy_url()` (migrated beforehand). `reference`: see `dashboard.app.create_app`."""
    settings = settings or Settings.from_env()
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    app = create_app(settings, client, sessions, reference)
    live = app.server.extensions[EXTENSION].live
    shared, reference = live.redis, live.reference
    app.server.register_blueprint(create_ingest_blueprint(settings, lambda: shared, reference, sessions))
    return app


def main() -> None:
    settings = Settings.from_env()
    app = create_server(settings)
    host = os.environ.get("HOST", "127.0.0.1")
    socketio_of(app).run(app.server, host=host, port=settings.port, allow_unsafe_werkzeug=True)


if __name__ == "__main__":
    main()
