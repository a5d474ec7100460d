"""axe-core, the accessibility engine (bundled by axe-selenium-python), run on the page a browser test shows."""

from __future__ import annotations

from axe_selenium_python import Axe
from selenium.webdriver.remote.webdriver import WebDriver

BLOCKING = ("serious", "critical")


def serious_findings(driver: WebDriver) -> list[str]:
    """Every serious or critical finding on the current page, as "rule: element" (empty when there is none)."""
    axe = Axe(driver)
    axe.inject()
    found = axe.run()
    return [
        f"{violation['id']}: {', '.join(map(str, node['target']))}"
        for violation in found["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]
