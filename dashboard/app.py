"""The Dash app: pages, Socket.IO push through the Redis message queue, and the read-only API, all behind the
access-control rule table of `dashboard.security.rules`."""

from __future__ import annotations

from pathlib import Path

import dash
import flask
import redis
from flask_socketio import SocketIO
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import RequestEntityTooLarge

from dashboard.api import api
from dashboard.callbacks import briefing as briefing_callbacks
from dashboard.callbacks import handover as handover_callbacks
from dashboard.callbacks import now as now_callbacks
from dashboard.callbacks import ops as ops_callbacks
from dashboard.callbacks import regency as regency_callbacks
from dashboard.callbacks import visit as visit_callbacks
from dashboard.callbacks import wall as wall_callbacks
from dashboard.fanout import RoundsRedisManager
from dashboard.i18n import DEFAULT_LANG, LANGS
from dashboard.kit.callback_inputs import BadCallbackInput, bad_input_answer
from dashboard.kit.query import one_value_per_parameter
from dashboard.kit.reports import TooManyReports, too_many_reports
from dashboard.lingering_close import linger_after_answer
from dashboard.notices.page import notices
from dashboard.pages.briefing.export import exports as briefing_exports
from dashboard.pages.handoff.export import exports as handoff_exports
from dashboard.push import register_push
from dashboard.screen_reports import screen_reports
from dashboard.security.guard import install_security
from dashboard.security.handshakes import signed_in_handshakes
from dashboard.services import EXTENSION, Services
from dashboard.socket_logs import one_line_packet_errors
from dashboard.tenancy import ProvincePrefix, serve_under_script_root
from dashboard.tracking.page import tracking
from dashboard.websockets import websocket_connections
from store.access.accounts import provision_from_settings
from store.contract.provinces import NATIONAL
from store.contract.reference import Reference, load_reference
from store.contract.settings import Settings
from store.history.db import WEB_BUSY_TIMEOUT_MS, is_locked, make_sessionmaker, write_now
from store.live.national import national_reference
from store.live.state import LiveState
from store.servers.redis_clients import message_queue_url, web_client

HERE = Path(__file__).resolve().parent
REQUEST_MARGIN_BYTES = 64 * 1024
# Two tries cover any number of processes racing: the winner commits every configured token in one transaction.
PROVISION_ATTEMPTS = 2


def create_app(
    settings: Settings,
    client: redis.Redis | None = None,
    session_factory: sessionmaker[Session] | None = None,
    reference: Reference | None = None,
) -> dash.Dash:
    """Build the app; its SocketIO object is `socketio_of(app)` (`wsgi.py` serves it with gunicorn).

    Each province of `settings.provinces` is served at `/p/<code>/` (`dashboard.tenancy`), the home province
    (`settings.province`) also at the paths without the prefix. `reference` replaces one province's reference data:
    a benchmark passes a larger synthetic province (its code, which names the Redis keys, among the provinces).

    Users, tokens and the audit log live in the migrated database of `session_factory` (default: the one of
    `settings.sqlalchemy_url()`); WALL_TOKENS, INGEST_TOKENS and ADMIN_PASSWORD are provisioned there now.
    """
    client = client or _connect(settings)
    app = dash.Dash(
        "dashboard",
        use_pages=True,
        pages_folder=str(HERE / "layouts"),
        assets_folder=str(HERE / "assets"),
        serve_locally=True,
        title="Pusat Komando",
        update_title=None,
        suppress_callback_exceptions=True,
    )
    app.layout = dash.html.Div(dash.page_container, className="app")
    one_value_per_parameter(dash.page_registry)
    server = app.server
    # No request body is read past this (callbacks and forms are a few KiB; ingest has its own, smaller check).
    server.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes + REQUEST_MARGIN_BYTES
    # The Redis manager is built here rather than from `message_queue=`: flask-socketio hands any URL not
    # starting with redis:// (such as the embedded server's unix://) to Kombu.
    queue = RoundsRedisManager(message_queue_url(settings.redis_url or redis_url_of(client)))
    socketio = SocketIO(server, async_mode=_async_mode(), client_manager=queue)
    register_push(socketio)
    one_line_packet_errors()
    references = {code: load_reference(code) for code in settings.provinces}
    if reference is not None:
        references[reference.province] = reference
    if settings.national:
        references[NATIONAL] = national_reference()
    server.wsgi_app = signed_in_handshakes(
        websocket_connections(server.wsgi_app, settings.websocket_compression), server
    )
    # After Socket.IO has wrapped the server, so `/p/<code>/socket.io/` reaches it too.
    server.wsgi_app = ProvincePrefix(server.wsgi_app, references)
    serve_under_script_root(app)
    # Dash raises for an asset path it did not register (`/_dash-component-suites/dash/../x`): that is a 404.
    server.register_error_handler(dash.exceptions.DependencyException, _no_such_asset)
    server.register_error_handler(BadCallbackInput, bad_input_answer)
    server.register_error_handler(OperationalError, _database_busy)
    server.register_error_handler(TooManyReports, too_many_reports)
    server.register_error_handler(RequestEntityTooLarge, _too_large)
    server.after_request(linger_after_answer)
    server.before_request(_api_paths_are_not_pages)
    server.after_request(_html_lang)
    server.after_request(_not_stored)
    server.register_blueprint(api)
    server.register_blueprint(screen_reports)
    server.register_blueprint(briefing_exports)
    server.register_blueprint(handoff_exports)
    server.register_blueprint(tracking)
    server.register_blueprint(notices)
    wall_callbacks.register(app)
    ops_callbacks.register(app)
    handover_callbacks.register(app)
    now_callbacks.register(app)
    regency_callbacks.register(app)
    briefing_callbacks.register(app)
    visit_callbacks.register(app)
    sessions = session_factory or make_sessionmaker(settings.sqlalchemy_url(), WEB_BUSY_TIMEOUT_MS)
    provision_at_start(sessions.kw["bind"].url.render_as_string(hide_password=False), settings)
    security = install_security(app, settings, sessions, client_factory=lambda: client)
    lives = {code: LiveState(client, province) for code, province in references.items()}
    server.extensions[EXTENSION] = Services(settings, lives, socketio, sessions, security)
    return app


def provision_at_start(database_url: str, settings: Settings) -> None:
    """`provision_from_settings` as an app process starts, once. Its connection waits for the workers' writes as
    they do: the pages' short wait (they answer "busy" rather than hang) would fail the start while the archive
    writes a large batch. Processes starting together on one database (APP_PROCESSES, a rolling restart) would
    store the same tokens: on SQLite the write lock is taken first, so the next one in reads them stored; on
    PostgreSQL the one that loses the race on the token's unique name tries again and finds them."""
    starting = make_sessionmaker(database_url)
    try:
        for attempt in range(1, PROVISION_ATTEMPTS + 1):
            try:
                with starting.begin() as db:
                    write_now(db)
                    provision_from_settings(db, settings)
                return
            except IntegrityError:
                if attempt == PROVISION_ATTEMPTS:
                    raise
    finally:
        starting.kw["bind"].dispose()


def _html_lang(response: flask.Response) -> flask.Response:
    """Dash's page shell as `<html lang="...">` in the page's language (`?lang=`), for screen readers and
    hyphenation; every page's own element carries it too."""
    if response.mimetype != "text/html" or response.direct_passthrough or response.status_code != 200:
        return response
    body = response.get_data(as_text=True)
    if body.lstrip().startswith("<!DOCTYPE html>") and "<html>" in body[:200]:
        lang = flask.request.args.get("lang")
        response.set_data(body.replace("<html>", f'<html lang="{lang if lang in LANGS else DEFAULT_LANG}">', 1))
    return response


def _api_paths_are_not_pages() -> tuple[flask.Response, int] | flask.Response | None:
    """Dash answers every GET it has no route for with its page shell, and advertises GET everywhere: an API path
    is 405 (with its own methods in `Allow`) or 404 instead, in JSON, and OPTIONS lists only its own methods."""
    path = flask.request.path
    rule = flask.request.url_rule
    catch_all = rule is None or rule.rule == "/<path:path>"
    # Only OPTIONS and what Dash's catch-all answered need the walk over every rule (ingest's POSTs do not).
    if not path.startswith("/api/") or not (catch_all or flask.request.method == "OPTIONS"):
        return None
    own = {m for r in flask.current_app.url_map.iter_rules() if r.rule == path for m in r.methods or ()}
    allowed = ", ".join(sorted((own - {"HEAD"}) | {"OPTIONS"})) if own else ""
    if flask.request.method == "OPTIONS" and own:
        return flask.Response(status=204, headers={"Allow": allowed})
    if not catch_all:
        return None
    if own:
        answer = flask.jsonify({"error": f"method {flask.request.method} not allowed: {allowed}"})
        answer.headers["Allow"] = allowed
        return answer, 405
    return flask.jsonify({"error": f"no such API route: {path[:100]}"}), 404


def _database_busy(error: OperationalError) -> tuple[flask.Response, int]:
    """Another process holds SQLite's write lock (an archive batch, a migration): 503 with Retry-After, at once."""
    if not is_locked(error):
        raise error
    answer = flask.jsonify({"error": "the database is busy: try again in a moment"})
    answer.headers["Retry-After"] = str(BUSY_RETRY_AFTER_S)
    return answer, 503


BUSY_RETRY_AFTER_S = 2
STATIC_PATHS = ("/assets/", "/_dash-component-suites/", "/_favicon.ico")


def _not_stored(response: flask.Response) -> flask.Response:
    """Every answer but the static files is kept by no cache, shared or private: request stories, search results,
    snapshots and Open311's answers carry what citizens reported (an answer that says otherwise keeps its own)."""
    if "Cache-Control" not in response.headers and not flask.request.path.startswith(STATIC_PATHS):
        response.headers["Cache-Control"] = "no-store"
    return response


def _async_mode() -> str:
    """ "gevent" when the process was monkey-patched for it (`python wsgi.py`), else "threading" (tests, other
    servers)."""
    from gevent import monkey

    return "gevent" if monkey.is_module_patched("socket") else "threading"


def _too_large(error: RequestEntityTooLarge) -> tuple[flask.Response, int] | RequestEntityTooLarge:
    """A body over MAX_CONTENT_LENGTH: said in JSON to an API client (a page's form keeps Werkzeug's page)."""
    if not flask.request.path.startswith("/api/"):
        return error
    limit = flask.current_app.config["MAX_CONTENT_LENGTH"]
    return flask.jsonify({"error": f"body exceeds {limit} bytes"}), 413


def _no_such_asset(_error: dash.exceptions.DependencyException) -> tuple[flask.Response, int]:
    return flask.jsonify({"error": "no such file"}), 404


def socketio_of(app: dash.Dash) -> SocketIO:
    """The app's flask-socketio server (also `app.server.extensions["socketio"]`)."""
    return app.server.extensions["socketio"]


def _connect(settings: Settings) -> redis.Redis:
    if settings.redis_url:
        return web_client(settings.redis_url)
    from store.servers.embedded_redis import EmbeddedRedis  # the same server and data as `make run`'s

    return EmbeddedRedis().client


def redis_url_of(client: redis.Redis) -> str:
    """A URL for the server behind `client`, so the Socket.IO message queue reaches the same Redis."""
    kwargs = client.connection_pool.connection_kwargs
    db = kwargs.get("db", 0)
    if kwargs.get("path"):
        return f"unix://{kwargs['path']}?db={db}"
    return f"redis://{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}/{db}"
