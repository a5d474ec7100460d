"""Headless Chromium for dash_duo (the hook dash[testing] calls for webdriver options), and a second browser
session for tests that need two."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service


def pytest_setup_options() -> Options:
    options = Options()
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"):
        options.add_argument(argument)
    options.add_argument("--window-size=1920,1080")
    return options


@pytest.fixture
def operator_browser() -> Iterator[webdriver.Chrome]:
    """A second, separate browser session (its own cookies), with the options above."""
    options = pytest_setup_options()
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()
