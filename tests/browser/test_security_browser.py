"""In Chromium: the page works under the Content-Security-Policy, and an event title carrying markup is text."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import redis
from argon2 import PasswordHasher
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

import store.access.accounts as auth
from store.access.accounts import provision_from_settings
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade
from tests.support.security_app import XSS_TITLE, build_app

pytestmark = pytest.mark.browser
WALL_TOKEN = "browser-wall-token-0123456789abcdef"


@pytest.fixture
def server_url(tmp_path, redis_url: str, redis_client: redis.Redis, monkeypatch) -> Iterator[str]:
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    settings = Settings(redis_url=redis_url, secret_key="browser-test", wall_tokens={WALL_TOKEN: "lobby"})
    url = f"sqlite:///{tmp_path / 'browser.db'}"
    upgrade(url)
    sessions = make_sessionmaker(url)
    with sessions.begin() as db:
        provision_from_settings(db, settings)
    app = build_app(settings, sessions, lambda: redis_client)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


def test_wall_page_works_under_csp_and_renders_markup_as_text(server_url: str, browser: webdriver.Chrome) -> None:
    browser.get(f"{server_url}/?token={WALL_TOKEN}")
    wait = WebDriverWait(browser, 20)
    wait.until(lambda d: d.find_element(By.ID, "wall-clock-text").text == "wall at /")
    assert "token=" not in browser.current_url
    item = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#wall-alerts-ticker li"))
    assert item.text == XSS_TITLE
    assert browser.find_elements(By.CSS_SELECTOR, "#wall-alerts-ticker img, #wall-alerts-ticker script") == []
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#wall-trend-graph .main-svg"))
    assert browser.execute_script("return window.__xss === undefined")
    # The wall screen's requests for other pages' callbacks are refused (403): only policy errors count here.
    refused = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
    assert refused == []


def test_sign_in_page_under_csp(server_url: str, browser: webdriver.Chrome) -> None:
    browser.get(f"{server_url}/ops")
    assert "/masuk?next=%2Fops" in browser.current_url
    assert browser.find_element(By.NAME, "password").get_attribute("type") == "password"
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
