"""The tables of the desk pages (`/ops`, the handover, the briefing, the drill-down): header, rows, and a sentence
in place of an empty table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import html


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], empty: str) -> html.Table | html.P:
    if not rows:
        return html.P(empty, className="ops-empty")
    return html.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in headers])),
            html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows]),
        ],
        className="ops-table",
    )


def late_text(text: str) -> html.Strong:
    """A figure of late requests as every desk page shows it: the late colour (ops.css `.late`) and a triangle."""
    return html.Strong(["▲ ", text], className="late")
