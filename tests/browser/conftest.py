"""Headless Chromium for dash_duo (the hook dash[testing] calls for webdriver options)."""

from __future__ import annotations

from selenium.webdriver.chrome.options import Options


def pytest_setup_options() -> Options:
    options = Options()
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"):
        options.add_argument(argument)
    options.add_argument("--window-size=1920,1080")
    return options
