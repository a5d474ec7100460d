"""The regency drill-down: its history read from the SQL archive, and pure builders of its parts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from dash import html
from sqlalchemy.orm import Session

import store.history.queries as queries
from dashboard.i18n import category_name, name_in, t
from dashboard.i18n.formats import date_time_text, duration_text, fmt_number, pct_text
from dashboard.kit.links import request_href
from dashboard.kit.tables import late_text, table
from dashboard.kit.theme import DAY_AXIS, SERIES_COLOURS, themed_layout
from store.contract.reference import Kpi, Reference
from store.history.open_requests import deadline_watch

FONT_PX = 14  # a desk page, read at arm's length, not the wall
WATCH_LIMIT = 20


def load_history(
    session: Session, reference: Reference, code: str, first: date, last: date, now: datetime
) -> dict[str, Any]:
    """Everything the page shows for one regency over the days `first` to `last`."""
    return {
        "summary": queries.summary(session, code, first, last, now),
        "series": queries.daily_series(session, code, first, last),
        "categories": queries.categories(session, code, first, last),
        "opds": queries.opd_table(session, code, first, last, now),
        "watch": deadline_watch(session, code, now, WATCH_LIMIT),
        "kpis": queries.kpi_series(session, code, reference.kpis, first, last),
    }


def _layout(**extra: Any) -> dict[str, Any]:
    return themed_layout(FONT_PX, **{"margin": {"l": 8, "r": 16, "t": 28, "b": 8, "pad": 4}, **extra})


def daily_figure(series: Mapping[str, Sequence[Any]], lang: str) -> dict[str, Any]:
    """Requests received and resolved per day: two lines, told apart by colour, dash and the legend."""
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers" if len(series["day"]) <= 31 else "lines",
            "x": list(series["day"]),
            "y": list(series[key]),
            "name": t(key, lang),
            "line": {"color": colour, "width": 3, "dash": dash},
        }
        for (key, dash), colour in zip((("received", "solid"), ("resolved", "dash")), SERIES_COLOURS, strict=True)
    ]
    legend = {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"}
    return {"data": data, "layout": _layout(showlegend=True, legend=legend, xaxis=DAY_AXIS)}


def within_figure(series: Mapping[str, Sequence[Any]], lang: str) -> dict[str, Any]:
    """Share of each day's resolutions within their deadline; days without resolutions are gaps."""
    data = [
        {
            "type": "bar",
            "x": list(series["day"]),
            "y": list(series["within_deadline_pct"]),
            "marker": {"color": SERIES_COLOURS[0]},
            "name": t("within_deadline_pct", lang),
            "hovertemplate": "%{x|%-d %B %Y}: %{y:.1f}%<extra></extra>",
        }
    ]
    layout = _layout(xaxis=DAY_AXIS, yaxis={"range": [0, 100], "ticksuffix": "%"})
    return {"data": data, "layout": layout}


def categories_figure(rows: Sequence[Mapping[str, Any]], reference: Reference, lang: str) -> dict[str, Any]:
    """Horizontal bars of requests received per category, the largest on top."""
    rows = list(reversed(rows))
    labels = [category_name(reference, r["category"], lang) for r in rows]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "x": [r["received"] for r in rows],
            "y": labels,
            "marker": {"color": SERIES_COLOURS[0]},
            "hovertemplate": "%{y}: %{x}<extra></extra>",
        }
    ]
    layout = _layout(height=max(160, 28 * len(rows) + 40), yaxis={"gridcolor": "rgba(0,0,0,0)"})
    return {"data": data, "layout": layout}


def kpi_figure(series: Mapping[str, Sequence[Any]], kpi: Kpi, lang: str) -> dict[str, Any]:
    """A KPI's daily mean with its min-max band and the amber and red thresholds as dotted lines."""
    name = name_in(kpi, lang)
    days = list(series["day"])
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": days + days[::-1],
            "y": list(series["max"]) + list(series["min"])[::-1],
            "fill": "toself",
            "fillcolor": "rgba(86,180,233,0.15)",
            "line": {"width": 0},
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": days,
            "y": list(series["mean"]),
            "line": {"color": SERIES_COLOURS[0], "width": 3},
            "name": name,
        },
    ]
    shapes = [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "y0": threshold,
            "y1": threshold,
            "line": {"color": colour, "dash": "dot", "width": 2},
        }
        for threshold, colour in ((kpi.amber, "#e69f00"), (kpi.red, "#d55e00"))
    ]
    title = {"text": f"{name} ({kpi.unit_in(lang)})", "x": 0, "font": {"size": FONT_PX}}
    return {"data": data, "layout": _layout(shapes=shapes, title=title, height=220, xaxis=DAY_AXIS)}


def summary_tiles(summary: Mapping[str, Any], lang: str) -> list[html.Div]:
    """The period's headline figures, then what is open and overdue now."""
    median = summary["median_resolve_minutes"]
    tiles = [
        ("received", fmt_number(summary["received"], lang)),
        ("resolved", fmt_number(summary["resolved"], lang)),
        ("within_deadline_pct", pct_text(summary["within_deadline_pct"], lang)),
        ("median_resolve_minutes", duration_text(median, lang)),
        ("regency_open_now", fmt_number(summary["open"], lang)),
        ("regency_overdue_now", fmt_number(summary["overdue"], lang)),
    ]
    return [
        _tile(key, value, late=key == "regency_overdue_now" and bool(summary["overdue"]), lang=lang)
        for key, value in tiles
    ]


def _tile(key: str, value: str, late: bool, lang: str) -> html.Div:
    """A headline figure tagged with its key; a late one in the late colour, with a mark (not colour alone)."""
    shown = late_text(value) if late else value
    return html.Div(
        [html.Div(shown, className="handover-value", **{"data-key": key}), html.Div(t(key, lang))],
        className="handover-total",
    )


def opd_table(rows: Sequence[Mapping[str, Any]], lang: str) -> html.Table | html.P:
    """The agencies of the regency: the period's work, then what is open now and since when."""
    headers = [
        t(key, lang)
        for key in (
            "regency_opd",
            "received",
            "resolved",
            "within_deadline_pct",
            "median_resolve_minutes",
            "open",
            "overdue",
            "regency_oldest_open",
        )
    ]
    cells = [
        [
            r["opd"],
            fmt_number(r["received"], lang),
            fmt_number(r["resolved"], lang),
            pct_text(r["within_deadline_pct"], lang),
            duration_text(r["median_resolve_minutes"], lang),
            fmt_number(r["open"], lang),
            late_text(fmt_number(r["overdue"], lang)) if r["overdue"] else fmt_number(0, lang),
            date_time_text(r["oldest_open_received_at"]),
        ]
        for r in rows
    ]
    return table(headers, cells, t("regency_no_history", lang))


def watch_table(rows: Sequence[Mapping[str, Any]], reference: Reference, lang: str) -> html.Table | html.P:
    """Open requests by deadline, the overdue ones first, their lateness in words (not colour alone)."""
    headers = [
        t(key, lang)
        for key in (
            "regency_request",
            "regency_category",
            "regency_opd",
            "regency_status",
            "regency_due",
            "regency_left",
        )
    ]
    cells = [
        [
            html.A(r["title"] or r["request_id"], href=request_href(r["regency"], r["request_id"], lang)),
            category_name(reference, r["category"], lang),
            r["opd"],
            t(f"status_{r['status']}", lang),
            date_time_text(r["due_at"]),
            late_text(_time_left(r, lang)) if r["overdue"] else _time_left(r, lang),
        ]
        for r in rows
    ]
    return table(headers, cells, t("regency_no_history", lang))


def _time_left(row: Mapping[str, Any], lang: str) -> str:
    key = "regency_hours_late" if row["overdue"] else "regency_hours_left"
    return t(key, lang, hours=fmt_number(abs(row["hours_left"]), lang, 1))
