"""The wall's content from one snapshot: a pure function, so callbacks stay thin and tests need no browser."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from dashboard.i18n import name_in, t
from dashboard.i18n.formats import fmt_number, fmt_time_wib
from dashboard.kit.alerts import alert_rows
from dashboard.pages.wall.figures import (
    DEFAULT_METRIC,
    METRIC_CEILINGS,
    METRIC_SCALES,
    METRICS,
    NO_DATA_COLOUR,
    metric_value,
    scale_colour,
    text_colour_on,
    trend_figure,
)
from store.contract.reference import Reference, Regency
from store.live.alerts import Alert

TILE_KEYS = (
    "received_today",
    "open",
    "resolved_today",
    "within_deadline_pct",
    "overdue",
    "median_resolve_minutes",
    "events_per_minute",
)
# Tiles whose value above zero means requests are late: the page draws them in the late colour, with a mark.
LATE_TILES = ("overdue",)
# The least a tour panel holds (three rows of names on two lines); a larger screen shows more rows a page and the
# tour skips the pages left empty (assets/wall_draw.js).
RANKING_PER_PAGE = 3
KPIS_PER_PAGE = 3
BARS_SHOWN = 4
TICKER_SHOWN = 12  # the most severe alerts on the ticker; the others are counted there and listed on /ops
STATE_ICONS = {"ok": "✓", "amber": "▲", "red": "✖", "none": "–"}
_METRIC_DIGITS = {"overdue_per_100k": 1, "open_per_100k": 1, "within_deadline_pct": 1, "median_resolve_minutes": 1}


def page_count(items: int, per_page: int) -> int:
    return max(1, math.ceil(items / per_page))


def tour_steps(regencies: int, kpis: int) -> list[str]:
    """The panels the wall's tour shows in turn: ranking pages, trend, categories, channels, deadline notices, KPI
    pages."""
    return [
        *(f"ranking:{i}" for i in range(page_count(regencies, RANKING_PER_PAGE))),
        "trend",
        "categories",
        "channels",
        "notices",
        *(f"kpis:{i}" for i in range(page_count(kpis, KPIS_PER_PAGE))),
    ]


@lru_cache(maxsize=8192)  # the same figures come back tick after tick, in every province
def tile_text(key: str, value: float | None, lang: str) -> str:
    """A headline figure as shown on its tile: percentages with %, the median in hours."""
    if value is None:
        return "–"
    if key == "within_deadline_pct":
        return f"{fmt_number(value, lang, 0)}%"
    if key == "median_resolve_minutes":
        return f"{fmt_number(value / 60, lang, 1)} {t('hours', lang)}"
    return fmt_number(value, lang)


def metric_text(metric: str, value: float | None, lang: str) -> str:
    return t("no_data", lang) if value is None else fmt_number(value, lang, metric_digits(metric))


def wall_view(
    snapshot: Mapping[str, Any],
    hourly: Mapping[str, Sequence[Any]],
    reference: Reference,
    lang: str = "id",
    metric: str = DEFAULT_METRIC,
    font_px: float = 51,
    alerts: Sequence[Alert] = (),
) -> dict[str, Any]:
    """Everything the wall shows, as texts, colours and figure dicts, from a snapshot (`LiveState.snapshot`,
    after `store.live.feed_health.apply_feed_state`: silent regencies have no value) and the active alerts."""
    totals = snapshot["totals"]
    texts = wall_texts(snapshot, reference, lang, alerts)
    return {
        "as_of": snapshot["as_of"],
        "tiles": texts["tiles"],
        "late_tiles": texts["late_tiles"],
        **metric_view(snapshot, reference, lang, metric),
        "kpi_pages": _paged(texts["kpis"], KPIS_PER_PAGE),
        "trend": trend_figure(hourly, lang, font_px),
        "categories": _counted(totals["by_category"], reference.categories, lang),
        "channels": _counted(totals["by_channel"], reference.channels, lang),
        "alerts": texts["alerts"],
        "alerts_total": texts["alerts_total"],
    }


def wall_texts(snapshot: Mapping[str, Any], reference: Reference, lang: str, alerts: Sequence[Alert]) -> dict[str, Any]:
    """The wall's parts that are written as texts in `lang`: the headline tiles (and those late), the KPIs, and the
    ticker's alerts with how many there are."""
    return {**headline_texts(snapshot, reference, lang), **ticker_texts(alerts, reference, lang)}


def headline_texts(snapshot: Mapping[str, Any], reference: Reference, lang: str) -> dict[str, Any]:
    """The headline tiles (and those late) and the KPIs, written in `lang`: they move with the figures."""
    totals = snapshot["totals"]
    return {
        "tiles": [{"key": k, "label": t(k, lang), "text": tile_text(k, totals[k], lang)} for k in TILE_KEYS],
        "late_tiles": late_tiles(totals),
        "kpis": _kpi_rows(totals["kpis"], reference, lang),
    }


def ticker_texts(alerts: Sequence[Alert], reference: Reference, lang: str) -> dict[str, Any]:
    """The ticker's alerts written in `lang`, with how many there are: they move with the alerts alone."""
    return {
        "alerts": alert_rows(alerts[:TICKER_SHOWN], reference, lang),
        "alerts_total": len(alerts),  # the page counts those it cannot show: "+N peringatan lain"
    }


def metric_spec(metric: str, lang: str) -> dict[str, Any]:
    """What a page needs to derive a metric's texts and colours from its values (`metric_view`'s rules): its
    title, its colour scale (lowest to highest) and the decimals it is shown with."""
    return {"title": t(f"metric_{metric}", lang), "scale": list(METRIC_SCALES[metric]), "digits": metric_digits(metric)}


def metric_digits(metric: str) -> int:
    """The decimals a metric is shown (and its values rounded) with."""
    return _METRIC_DIGITS.get(metric, 0)


def metric_values(
    snapshot: Mapping[str, Any], reference: Reference, metric: str
) -> tuple[dict[str, float | None], float]:
    """Each regency's value of `metric` at the precision it is shown (None: no data), and the top of its scale.
    Rounded as shown, colours, bars and ranks move only when a shown number does, so a push carries only what a
    reader can see change."""
    regencies = reference.regencies
    values = {code: shown_value(snapshot["regencies"][code], regencies[code], metric) for code in regencies}
    return values, scale_top(metric, values.values())


def shown_value(figures: Mapping[str, Any], regency: Regency, metric: str) -> float | None:
    """A regency's value of `metric` at the precision it is shown (None: no data)."""
    return _shown(metric_value(figures, regency, metric), metric_digits(metric))


def scale_top(metric: str, values: Iterable[float | None]) -> float:
    """The top of `metric`'s colour scale: its fixed ceiling, else the largest of the shown `values`."""
    return METRIC_CEILINGS.get(metric) or max((v for v in values if v is not None), default=0) or 1


def metric_view(snapshot: Mapping[str, Any], reference: Reference, lang: str, metric: str) -> dict[str, Any]:
    """What the wall shows of one map metric: each regency's value, text, colour and rank (the page lays the
    ranking out from the ranks), and the legend."""
    metric = metric if metric in METRICS else DEFAULT_METRIC
    regencies = reference.regencies
    values, high = metric_values(snapshot, reference, metric)
    shown = [v for v in values.values() if v is not None]
    scale = METRIC_SCALES[metric]
    cells = {}
    for code, value in values.items():
        colour = NO_DATA_COLOUR if value is None else scale_colour(value / high, scale)
        cells[code] = {
            "code": code,
            "name": regencies[code].short_name,
            "value": value,
            "text": metric_text(metric, value, lang),
            "colour": colour,
            "text_colour": text_colour_on(colour),
            "fraction": 0 if value is None else value / high,
        }
    ranked = sorted(cells.values(), key=lambda c: (c["value"] is None, -(c["value"] or 0), c["name"]))
    for position, cell in enumerate(ranked, start=1):
        cell["rank"] = position
    return {
        "metric": metric,
        "metric_label": t(f"metric_{metric}", lang),
        "high": high,  # the top of the colour scale and of the bars
        "cells": cells,
        "legend": {
            "title": t(f"metric_{metric}", lang),
            "low": fmt_number(0, lang),
            "high": metric_text(metric, high if shown else None, lang),
            "gradient": f"linear-gradient(to right, {', '.join(scale)})",
            "no_data": t("no_data", lang),
        },
    }


def _shown(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _paged(rows: list[dict[str, Any]], per_page: int) -> list[list[dict[str, Any]]]:
    return [rows[i : i + per_page] for i in range(0, len(rows), per_page)] or [[]]


def _counted(counts: Mapping[str, int], names: Mapping[str, Any], lang: str) -> list[dict[str, Any]]:
    """The largest counts as bars: name, value as text, and the bar's length relative to the largest."""
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:BARS_SHOWN]
    largest = top[0][1] if top else 1
    return [
        {
            "name": name_in(names[key], lang) if key in names else key,
            "text": fmt_number(n, lang),
            "fraction": n / largest,
        }
        for key, n in top
    ]


@lru_cache(maxsize=8192)
def _kpi_value(value: float, unit: str, lang: str) -> str:
    digits = 0 if abs(value) >= 100 else 1
    number = fmt_number(value, lang, digits)
    return f"{number}%" if unit == "%" else f"{number} {unit}"


def _kpi_rows(kpis: Mapping[str, Any], reference: Reference, lang: str) -> list[dict[str, Any]]:
    rows = []
    for key, kpi in reference.kpis.items():
        sample = kpis.get(key)
        state = sample["state"] if sample else "none"
        rows.append(
            {
                "key": key,
                "name": name_in(kpi, lang),
                "text": _kpi_value(sample["value"], kpi.unit_in(lang), lang) if sample else "–",
                "state": state,
                "icon": STATE_ICONS[state],
                "state_text": t(f"state_{state}", lang) if sample else t("no_data", lang),
            }
        )
    return rows


FOCUS_KEYS = ("received_today", "open", "overdue", "within_deadline_pct")


def late_tiles(figures: Mapping[str, Any]) -> list[str]:
    """The keys of the `LATE_TILES` whose figure is above zero."""
    return [key for key in LATE_TILES if figures.get(key)]


def focus_view(
    code: str, figures: Mapping[str, Any], alerts: Sequence[Alert], reference: Reference, lang: str = "id"
) -> dict[str, Any]:
    """The tour's focus on one regency (figures after `apply_feed_state`): name, tiles, feed state, its alerts.

    A silent regency shows its tiles as "no data", never its frozen counts as if they were current.
    """
    no_data = bool(figures.get("no_data"))
    part = focus_part(code, figures, [a for a in alerts if a.regency == code], reference, lang)
    return {
        **part,
        "tiles": [
            {"key": k, "label": t(k, lang), "text": t("no_data", lang) if no_data else tile_text(k, figures[k], lang)}
            for k in FOCUS_KEYS
        ],
        "late_tiles": [] if no_data else late_tiles(figures),
    }


def focus_part(
    code: str, figures: Mapping[str, Any], own_alerts: Sequence[Alert], reference: Reference, lang: str
) -> dict[str, Any]:
    """The focus on one regency without its tiles (a screen writes them from the metrics' values): name, feed
    state and line, and `own_alerts`, the regency's."""
    no_data = bool(figures.get("no_data"))
    feed = figures.get("feed") or {}
    state = "silent" if no_data else feed.get("state", "ok")
    last = feed.get("last_event_at")
    arrival = f"{t('last_arrival', lang)} {fmt_time_wib(last)}" if last else t("never_sent", lang)
    return {
        "code": code,
        "name": reference.regencies[code].short_name,
        "no_data": no_data,
        "feed_state": state,
        "feed_text": f"{t(f'feed_{state}', lang)} · {arrival}",
        "alerts": alert_rows(own_alerts, reference, lang),
    }
