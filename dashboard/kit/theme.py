"""The charts' look, as one Plotly template every figure names (`layout.template`): transparent on the dark
panels, light text, quiet grid lines, no legend or zoom unless a figure asks. Each figure sets only its font
size and margins (the wall's at its legibility minimum, the desk pages' at arm's length)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

TEXT_COLOUR = "#e8ecf3"
GRID_COLOUR = "#3a4150"
# A date axis as an Indonesian reader writes dates (day first): "25 Nov", "Rabu, 25 November 2026" on hover. The
# month and day names come from Plotly's locale (`graph_config`).
DAY_AXIS = {"type": "date", "tickformat": "%-d %b", "hoverformat": "%A, %-d %B %Y"}
SERIES_COLOURS = ("#56b4e9", "#e69f00")  # Okabe-Ito sky blue and orange: distinct for colour-blind readers

_AXIS = {"color": TEXT_COLOUR, "fixedrange": True, "automargin": True}
TEMPLATE: dict[str, Any] = go.layout.Template(
    layout={
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"color": TEXT_COLOUR},
        "colorway": list(SERIES_COLOURS),
        "showlegend": False,
        "autosize": True,
        "xaxis": {**_AXIS, "showgrid": False},
        "yaxis": {**_AXIS, "gridcolor": GRID_COLOUR, "rangemode": "tozero"},
    }
).to_plotly_json()


def themed_layout(font_px: float, **extra: Any) -> dict[str, Any]:
    """A figure's layout on the template: its font size, the margins for it, and what it adds (`extra`)."""
    return {
        "template": TEMPLATE,
        "font": {"size": font_px},
        "margin": {"l": 8, "r": 16, "t": 8, "b": 8, "pad": 4},
        **extra,
    }


def graph_config(lang: str) -> dict[str, Any]:
    """A desk page's graph settings: Plotly's own texts (dates, months, separators) in the page's language
    (`assets/plotly_locale_id.js`), no mode bar, sized to its panel."""
    return {"displayModeBar": False, "responsive": True, "locale": "id" if lang == "id" else "en"}
