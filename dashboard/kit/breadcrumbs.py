"""The trail from the wall to where a reader is ("Dinding › Kota Medan › MDN-0001"), each step but the last a
link."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html

from dashboard.i18n import t


def breadcrumbs(steps: Sequence[tuple[str, str | None]], lang: str) -> html.Nav:
    """`steps` as (text, address); the last is where the reader is (no address)."""
    items = [
        html.Li(html.A(text, href=href) if href else html.Span(text, **{"aria-current": "page"}))
        for text, href in steps
    ]
    return html.Nav(html.Ol(items), className="breadcrumbs", **{"aria-label": t("breadcrumbs", lang)})
