"""Pure functions from snapshot data to figure dicts and colours (plain dicts: about 5x cheaper than go.Figure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from plotly.colors import diverging, sequential, unlabel_rgb

from dashboard.i18n import t
from dashboard.kit.theme import SERIES_COLOURS, themed_layout
from store.contract.reference import Regency


def _hex(rgb: str) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(round(c) for c in unlabel_rgb(rgb)))


# Colour that means something: from fine (blue) through pale yellow to worst (red), ColorBrewer's RdYlBu, safe for
# colour-blind readers, without its darkest ends (they vanish on the wall's dark ground). A scale runs from 0 to
# the highest value shown; the number is always written beside the colour.
BAD_WHEN_HIGH: tuple[str, ...] = tuple(_hex(c) for c in reversed(diverging.RdYlBu[1:-1]))
GOOD_WHEN_HIGH: tuple[str, ...] = tuple(reversed(BAD_WHEN_HIGH))
LATE_COLOUR = BAD_WHEN_HIGH[-1]  # late requests' figures, in the worst colour of the map
# On the desk pages' text, one step lighter: it reads at AA contrast on their dark ground (ops.css `.late`).
DESK_LATE_COLOUR = BAD_WHEN_HIGH[-2]
# Neither good nor bad (how many requests came in): one hue, dark to light.
NEUTRAL: tuple[str, ...] = tuple(_hex(c) for c in reversed(sequential.Blues[3:]))
NO_DATA_COLOUR = "#5b6170"

# The map's metrics, in the chooser's order, each with the colour scale that says what a high value means.
METRIC_SCALES: dict[str, tuple[str, ...]] = {
    "overdue_per_100k": BAD_WHEN_HIGH,
    "overdue": BAD_WHEN_HIGH,
    "open_per_100k": BAD_WHEN_HIGH,
    "open": BAD_WHEN_HIGH,
    "received_today": NEUTRAL,
    "within_deadline_pct": GOOD_WHEN_HIGH,
    "median_resolve_minutes": BAD_WHEN_HIGH,
}
METRICS = tuple(METRIC_SCALES)
DEFAULT_METRIC = "overdue_per_100k"
# A share's scale runs to 100%, so a province where every regency is on time is all blue.
METRIC_CEILINGS = {"within_deadline_pct": 100.0}


def has_data(figures: Mapping[str, Any]) -> bool:
    """Whether a regency's figures may be drawn: it has reported (an event seen, or requests still open) and
    its feed is not silent (`no_data` from `store.live.feed_health.apply_feed_state`): silent is grey, never good."""
    return not figures.get("no_data") and bool(figures.get("last_event_at") or figures.get("open"))


def metric_value(figures: Mapping[str, Any], regency: Regency, metric: str) -> float | None:
    """One regency's value of a map metric, or None when it has no data for it."""
    if not has_data(figures):
        return None
    if metric == "overdue_per_100k":
        return 100_000 * figures["overdue"] / regency.population if regency.population else None
    if metric == "open_per_100k":
        return 100_000 * figures["open"] / regency.population if regency.population else None
    if metric == "median_resolve_minutes":
        minutes = figures["median_resolve_minutes"]
        return None if minutes is None else minutes / 60
    return figures[metric]


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


@lru_cache(maxsize=4096)  # the same shown values come back on every tick, for every province
def scale_colour(fraction: float, scale: tuple[str, ...] = BAD_WHEN_HIGH) -> str:
    """The colour at `fraction` (0 to 1) of `scale`, as `#rrggbb`."""
    position = min(max(fraction, 0.0), 1.0) * (len(scale) - 1)
    index = min(int(position), len(scale) - 2)
    weight = position - index
    low, high = _rgb(scale[index]), _rgb(scale[index + 1])
    mixed = (round(a + (b - a) * weight) for a, b in zip(low, high, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*mixed)


@lru_cache(maxsize=4096)
def text_colour_on(background: str) -> str:
    """Dark or light text, whichever contrasts more with `background`."""
    r, g, b = _rgb(background)
    return "#10131a" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


def trend_series(hourly: Mapping[str, Sequence[Any]]) -> dict[str, list]:
    """The trend's hours ("09:00", in WIB) and the requests received and resolved in each."""
    return {
        "hours": [h[11:16] for h in hourly["hour"]],
        "received": list(hourly["received"]),
        "resolved": list(hourly["resolved"]),
    }


def trend_figure(hourly: Mapping[str, Sequence[Any]], lang: str, font_px: float) -> dict[str, Any]:
    """Requests received and resolved per hour: two lines, told apart by colour, dash and direct labels."""
    hours = trend_series(hourly)["hours"]
    series = (("received", "solid"), ("resolved", "dash"))
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": hours,
            "y": list(hourly[key]),
            "name": t(key, lang),
            "line": {"color": colour, "width": max(font_px / 10, 3), "dash": dash},
            "hoverinfo": "skip",
        }
        for (key, dash), colour in zip(series, SERIES_COLOURS, strict=True)
    ]
    layout = themed_layout(
        font_px,
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "font": {"size": font_px}},
        xaxis={"nticks": 4},
        yaxis={"nticks": 4},
        margin={"l": 8, "r": 16, "t": font_px * 1.6, "b": 8, "pad": 4},
    )
    return {"data": data, "layout": layout}
