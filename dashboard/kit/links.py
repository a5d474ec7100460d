"""Links between pages, in the current request's province (`dashboard.tenancy`)."""

from __future__ import annotations

from dashboard.tenancy import app_path, province_path


def regency_href(code: str, lang: str) -> str:
    """The regency's page; on the national wall, where the regions are provinces (two-digit codes), the
    province's wall."""
    query = "?lang=en" if lang == "en" else ""
    if "." not in code:
        return province_path(code, f"/{query}")
    return app_path(f"/kabkota/{code}{query}")
