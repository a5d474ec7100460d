"""Dash components of the wall's panels, from the data `wall_view` makes (texts are children: never HTML)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
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
        html.Span(spec["title"], className="legend-title"),
        html.Span(spec["low"], className="legend-end"),
        html.Span(className="legend-ramp", style={"background": spec["gradient"]}),
        html.Span(spec["high"], className="legend-end"),
        html.Span(className="legend-swatch", style={"background": NO_DATA_FILL}),
        html.Span(spec["no_data"], className="legend-end"),
    ]


def ranking_rows(cells: Sequence[Mapping[str, Any]], lang: str) -> list[Any]:
    return [
        _ranking_row(
            cell["code"],
            cell["rank"],
            cell["name"],
            f"{100 * cell['fraction']:.1f}%",
            cell["colour"],
            cell["text"],
            cell["value"] is None,
            lang,
        )
        for cell in cells
    ]


@lru_cache(maxsize=2048)
def _ranking_row(code: str, rank: int, name: str, width: str, colour: str, text: str, no_data: bool, lang: str) -> Any:
    # A wall refresh draws every regency's row, mostly unchanged since the last refresh: build each row once.
    # The component is shared between answers, which only serialize it.
    return dcc.Link(
        [
            html.Span(str(rank), className="rank-pos"),
            html.Span(name, className="rank-name"),
            html.Span(
                html.Span(className="rank-fill", style={"width": width, "background": colour}), className="rank-bar"
            ),
            html.Span(text, className="rank-value" + (" no-data" if no_data else "")),
        ],
        href=regency_href(code, lang),
        className="rank-row",
    )


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


def severity_badge(row: Mapping[str, Any]) -> Any:
    """Icon and word of an alert's severity in its colour: never colour alone."""
    return html.Span(
        f"{row['icon']} {row['severity_text']}", className="alert-severity", style={"color": row["colour"]}
    )


def ticker(rows: Sequence[Mapping[str, Any]], more_text: str, none_text: str, acked_text: str) -> list[Any]:
    """The wall's alert line: severity badge and sentence; acknowledged alerts dimmed and marked; how many more
    there are (`more_text`, empty when none)."""
    if not rows:
        return [html.Span(f"✓ {none_text}", className="alert state-ok")]
    more = [html.Span(more_text, className="alert alert-more")] if more_text else []
    return [
        html.Span(
            [
                severity_badge(row),
                " ",
                row["text"],
                *([" ", html.Span(acked_text, className="alert-ack")] if row["acknowledged"] else []),
            ],
            className=f"alert severity-{row['severity']}" + (" acknowledged" if row["acknowledged"] else ""),
        )
        for row in rows
    ] + more


def silent_list(names: Sequence[str], all_ok_text: str) -> list[Any]:
    """Regencies whose feed is silent, grey with the words of "no data"; a calm line when there are none."""
    if not names:
        return [html.Div(f"✓ {all_ok_text}", className="state-ok")]
    return [html.Div(f"▨ {name}", className="silent-name") for name in names]


def focus_panel(focus: Mapping[str, Any] | None) -> list[Any]:
    """The tour's regency focus: its name large, its figures as tiles, its feed state and alerts."""
    if focus is None:
        return []
    tiles = [
        html.Div(
            [html.Div(tile["label"], className="tile-label"), html.Div(tile["text"], className="tile-value")],
            className="tile" + (" no-data" if focus["no_data"] else ""),
        )
        for tile in focus["tiles"]
    ]
    alerts = [html.Div([severity_badge(row), " ", row["text"]], className="focus-alert") for row in focus["alerts"]]
    return [
        html.H2(focus["name"], className="focus-name"),
        html.Div(focus["feed_text"], className=f"focus-feed feed-{focus['feed_state']}"),
        html.Div(tiles, className="focus-tiles"),
        html.Div(alerts, className="focus-alerts"),
    ]
