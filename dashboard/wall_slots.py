"""What changes on the wall with nearly every tick (the headline tiles, KPI rows, category and channel bars, the
alert ticker) as fixed slots: elements drawn once in the layout, whose text, class and style each refresh sets.

Returning new rows from a callback makes Dash mount every component in them, and setting a component's children
recomputes the page's paths; each is a store notification that runs the selector of every component on the page
(at four refreshes a second, over a third of the page's work). So an answer sends every slot in one store when
any changed, and the page's `writeSlots` (assets/wall.js) writes what differs into the elements: one notification
per answer. Slots whose text is written have no children in the layout, so React never rewrites what it writes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import html

from dashboard import ids
from dashboard.wall_view import BARS_SHOWN, TICKER_SHOWN

EMPTY = "slot-empty"  # a slot with nothing to show this time (CSS: not displayed)
BAR_PANELS = ("categories", "channels")


def slot_id(name: str) -> str:
    """The element id of slot `name`: what `writeSlots` looks up (keep the prefix in step with assets/wall.js)."""
    return f"{ids.WALL_SLOT}:{name}"


def tile_value(key: str) -> html.Div:
    """A headline tile's number; "–" until the first refresh (CSS), and it flashes when it changes."""
    return html.Div(id=slot_id(f"tile:{key}"), className="tile-value")


def kpi_rows(names: Mapping[str, str]) -> list[html.Div]:
    """One row per KPI (key -> name, in the page's language): the name is fixed, value and state are slots."""
    return [
        html.Div(
            [
                html.Span(name, className="kpi-name"),
                html.Span(id=slot_id(f"kpi:{key}:value"), className="kpi-value"),
                html.Span(id=slot_id(f"kpi:{key}:state"), className="kpi-state state-none"),
            ],
            className="kpi-row",
        )
        for key, name in names.items()
    ]


def bar_rows(panel: str) -> list[html.Div]:
    """`BARS_SHOWN` empty bar rows of `panel` ("categories" or "channels")."""
    return [
        html.Div(
            [
                html.Span(id=slot_id(f"{panel}:{i}:name"), className="rank-name"),
                html.Span(
                    html.Span(id=slot_id(f"{panel}:{i}:fill"), className="rank-fill count-fill"),
                    className="rank-bar",
                ),
                html.Span(id=slot_id(f"{panel}:{i}:value"), className="rank-value"),
            ],
            id=slot_id(f"{panel}:{i}"),
            className=f"count-row {EMPTY}",
        )
        for i in range(BARS_SHOWN)
    ]


def ticker_line() -> list[html.Span]:
    """The alert line's `TICKER_SHOWN` alert slots, its all-clear line and its count of alerts not drawn."""
    alerts = [
        html.Span(
            [
                html.Span(id=slot_id(f"alert:{i}:severity"), className="alert-severity"),
                " ",
                html.Span(id=slot_id(f"alert:{i}:text")),
                " ",
                html.Span(id=slot_id(f"alert:{i}:ack"), className="alert-ack"),
            ],
            id=slot_id(f"alert:{i}"),
            className=f"alert {EMPTY}",
        )
        for i in range(TICKER_SHOWN)
    ]
    clear = html.Span(id=slot_id("alerts:clear"), className=f"alert state-ok {EMPTY}")
    more = html.Span(id=slot_id("alerts:more"), className=f"alert alert-more {EMPTY}")
    return [*alerts, clear, more]


def slot_props(view: Mapping[str, Any], clear_text: str, acked_text: str) -> dict[str, dict[str, Any]]:
    """What every slot shows for `view` (`wall_view`): slot name -> {"text", "className", "style": value, and
    "flash": a changed text flashes}; props left out stay as they are."""
    props: dict[str, dict[str, Any]] = {
        f"tile:{tile['key']}": {"text": tile["text"], "flash": True} for tile in view["tiles"]
    }
    for row in view["kpis"]:
        props[f"kpi:{row['key']}:value"] = {"text": row["text"]}
        props[f"kpi:{row['key']}:state"] = {"text": row["icon"], "className": f"kpi-state state-{row['state']}"}
    for panel in BAR_PANELS:
        props.update(_bars(panel, view[panel]))
    props.update(_ticker(view["alerts"], view["alerts_more"], clear_text, acked_text))
    return props


def _bars(panel: str, bars: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    props = {}
    for i in range(BARS_SHOWN):
        bar = bars[i] if i < len(bars) else None
        props[f"{panel}:{i}"] = {"className": "count-row" if bar else f"count-row {EMPTY}"}
        props[f"{panel}:{i}:name"] = {"text": bar["name"] if bar else ""}
        props[f"{panel}:{i}:fill"] = {"style": {"width": f"{100 * bar['fraction']:.1f}%" if bar else "0%"}}
        props[f"{panel}:{i}:value"] = {"text": bar["text"] if bar else ""}
    return props


def _ticker(
    rows: Sequence[Mapping[str, Any]], more_text: str, clear_text: str, acked_text: str
) -> dict[str, dict[str, Any]]:
    """Severity badge (icon and word in its colour: never colour alone) and sentence per alert, acknowledged
    alerts dimmed and marked; the all-clear line when there are none; how many more there are."""
    props = {}
    for i in range(TICKER_SHOWN):
        row = rows[i] if i < len(rows) else None
        if row is None:
            props[f"alert:{i}"] = {"className": f"alert {EMPTY}"}
            continue
        acked = row["acknowledged"]
        props[f"alert:{i}"] = {"className": f"alert severity-{row['severity']}" + (" acknowledged" if acked else "")}
        props[f"alert:{i}:severity"] = {
            "text": f"{row['icon']} {row['severity_text']}",
            "style": {"color": row["colour"]},
        }
        props[f"alert:{i}:text"] = {"text": row["text"]}
        props[f"alert:{i}:ack"] = {"text": acked_text if acked else ""}
    props["alerts:clear"] = {
        "text": f"✓ {clear_text}",
        "className": "alert state-ok" + ("" if not rows else f" {EMPTY}"),
    }
    props["alerts:more"] = {
        "text": more_text,
        "className": "alert alert-more" + ("" if more_text else f" {EMPTY}"),
    }
    return props
