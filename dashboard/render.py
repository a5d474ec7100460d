"""Dash components of the wall's panels, from the data `wall_view` makes (texts are children: never HTML)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc, html

NO_DATA_FILL = "repeating-linear-gradient(135deg, #5b6170 0 0.6vh, #474c58 0.6vh 1.2vh)"


def regency_href(code: str, lang: str) -> str:
    return f"/kabkota/{code}" + ("?lang=en" if lang == "en" else "")


def hex_style(cell: Mapping[str, Any]) -> dict[str, str]:
    """Fill and text colour of a hexagon; no data is hatched grey, so it never passes for a low value."""
    fill = NO_DATA_FILL if cell["value"] is None else cell["colour"]
    return {"background": fill, "color": cell["text_colour"]}


def legend(view: Mapping[str, Any]) -> list[Any]:
    spec = view["legend"]
    return [
        html.Span(spec["low"], className="legend-end"),
        html.Span(className="legend-ramp", style={"background": spec["gradient"]}),
        html.Span(spec["high"], className="legend-end"),
        html.Span(className="legend-swatch", style={"background": NO_DATA_FILL}),
        html.Span(spec["no_data"], className="legend-end"),
    ]


def ranking_rows(cells: Sequence[Mapping[str, Any]], lang: str) -> list[Any]:
    return [
        dcc.Link(
            [
                html.Span(str(cell["rank"]), className="rank-pos"),
                html.Span(cell["name"], className="rank-name"),
                html.Span(
                    html.Span(
                        className="rank-fill",
                        style={"width": f"{100 * cell['fraction']:.1f}%", "background": cell["colour"]},
                    ),
                    className="rank-bar",
                ),
                html.Span(cell["text"], className="rank-value" + (" no-data" if cell["value"] is None else "")),
            ],
            href=regency_href(cell["code"], lang),
            className="rank-row",
        )
        for cell in cells
    ]


def count_bars(bars: Sequence[Mapping[str, Any]]) -> list[Any]:
    return [
        html.Div(
            [
                html.Span(bar["name"], className="rank-name"),
                html.Span(
                    html.Span(className="rank-fill count-fill", style={"width": f"{100 * bar['fraction']:.1f}%"}),
                    className="rank-bar",
                ),
                html.Span(bar["text"], className="rank-value"),
            ],
            className="count-row",
        )
        for bar in bars
    ]


def kpi_rows(rows: Sequence[Mapping[str, Any]]) -> list[Any]:
    return [
        html.Div(
            [
                html.Span(row["name"], className="kpi-name"),
                html.Span(row["text"], className="kpi-value"),
                html.Span(row["icon"], title=row["state_text"], className=f"kpi-state state-{row['state']}"),
            ],
            className="kpi-row",
        )
        for row in rows
    ]


def ticker(alerts: Sequence[Mapping[str, str]], none_text: str) -> list[Any]:
    if not alerts:
        return [html.Span(f"✓ {none_text}", className="alert state-ok")]
    return [html.Span(f"{a['icon']} {a['text']}", className=f"alert state-{a['level']}") for a in alerts]
