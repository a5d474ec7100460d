"""Dash components shared by pages: links to a regency's page, an alert's severity badge (texts are children:
never HTML)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import html

from dashboard.tenancy import app_path, province_path


def regency_href(code: str, lang: str) -> str:
    """The regency's page, in the current request's province (`dashboard.tenancy`); on the national wall, where
    the regions are provinces (two-digit codes), the province's wall."""
    query = "?lang=en" if lang == "en" else ""
    if "." not in code:
        return province_path(code, f"/{query}")
    return app_path(f"/kabkota/{code}{query}")


def severity_badge(row: Mapping[str, Any]) -> Any:
    """Icon and word of an alert's severity in its colour: never colour alone."""
    return html.Span(
        f"{row['icon']} {row['severity_text']}", className="alert-severity", style={"color": row["colour"]}
    )
