"""Pure functions from snapshot data to figure dicts and colours (plain dicts: about 5x cheaper than go.Figure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from plotly.colors import sequential

from dashboard.i18n import t
from dashboard.kit.theme import SERIES_COLOURS, themed_layout
from store.contract.reference import Regency

# Viridis rather than cividis: cividis passes through grey mid-scale, too close to "no data".
SCALE: tuple[str, ...] = tuple(sequential.Viridis)
NO_DATA_COLOUR = "#5b6170"

METRICS = (
    "overdue_per_100k",
    "overdue",
    "open_per_100k",
    "open",
    "received_today",
    "within_deadline_pct",
    "median_resolve_minutes",
)
DEFAULT_METRIC = "overdue_per_100k"


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
def scale_colour(fraction: float) -> str:
    """The viridis colour at `fraction` (0 to 1) of the scale, as `#rrggbb`."""
    position = min(max(fraction, 0.0), 1.0) * (len(SCALE) - 1)
    index = min(int(position), len(SCALE) - 2)
    weight = position - index
    low, high = _rgb(SCALE[index]), _rgb(SCALE[index + 1])
    mixed = (round(a + (b - a) * weight) for a, b in zip(low, high, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*mixed)


@lru_cache(maxsize=4096)
def text_colour_on(background: str) -> str:
    """Dark or light text, whichever contrasts more with `background`."""
    r, g, b = _rgb(background)
    return "#10131a" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


def trend_figure(hourly: Mapping[str, Sequence[Any]], lang: str, font_px: float) -> dict[str, Any]:
    """Requests received and resolved per hour: two lines, told apart by colour, dash and direct labels."""
    hours = [h[11:16] for h in hourly["hour"]]
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
