"""What the browser-facing benchmarks share: the real app with access control, headless Chromium, and
serving an app on a free loopback port."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import dash
import redis
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from werkzeug.serving import make_server

from bench.harness import free_port
from store.contract.reference import Reference
from store.contract.settings import Settings
from store.history.db import upgrade
from wsgi import create_server

WALL_TOKEN = "bench-wall-token-0123456789abcdef"
INGEST_TOKEN = "bench-ingest-token-0123456789abcdef"
CHROMEDRIVER = "/usr/bin/chromedriver"
# As in tests/browser/conftest.py: headless Chromium as root.
CHROMIUM_ARGUMENTS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking")


def bench_settings(redis_url: str, database_dir: str, province: str = "12", port: int = 8050) -> Settings:
    """Settings of the real app for a benchmark: a wall token, an ingest token, SQLite in `database_dir`."""
    return Settings(
        redis_url=redis_url,
        database_url=f"sqlite:///{database_dir}/app.db",
        province=province,
        secret_key="bench-secret",
        wall_tokens={WALL_TOKEN: "bench-wall"},
        ingest_tokens={INGEST_TOKEN: "bench"},
        port=port,
        demo=False,
    )


@contextmanager
def real_app(redis_url: str, client: redis.Redis, reference: Reference) -> Iterator[dash.Dash]:
    """`wsgi.create_server` with access control on a migrated temporary SQLite database, for `reference`
    (whose province code names the Redis keys)."""
    with tempfile.TemporaryDirectory(prefix="scc-bench-") as tmp:
        settings = bench_settings(redis_url, tmp, reference.province)
        upgrade(settings.sqlalchemy_url())
        yield create_server(settings, client, reference)


@contextmanager
def served(app: dash.Dash) -> Iterator[str]:
    """Serve `app` (threaded werkzeug) on a free loopback port; yields its base URL."""
    server = make_server("127.0.0.1", free_port(), app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@contextmanager
def chromium(width: int = 1920, height: int = 1080) -> Iterator[webdriver.Chrome]:
    """Headless Chromium driven by selenium; quit on exit."""
    options = Options()
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    options.add_argument(f"--window-size={width},{height}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
