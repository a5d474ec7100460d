"""The view-models pushed to screens: what a page shows, as plain data, computed once per tick per room by the
live worker (`workers.screens`) and applied in the browser (`assets/wall.js`, `assets/regency.js`). Their fields
are declared in `dashboard.screen_contract`, whose JSON Schema the tests hold them to.

A model holds numbers where the page can write them by the server's rules (the map's metrics, the focus tiles, the
counts; `assets/wall_draw.js`), and texts already in the room's language where it cannot (alert sentences, KPIs).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import orjson
import redis

from dashboard.i18n import t
from dashboard.i18n.formats import fmt_time_wib
from dashboard.kit.kept import KeptBySource
from dashboard.pages.regency.live import kpi_standing, kpi_standing_rows, live_figures
from dashboard.pages.wall.figures import METRICS, trend_series
from dashboard.pages.wall.notices import notices_part
from dashboard.pages.wall.tour import sound_ids, tour_order
from dashboard.pages.wall.view import FOCUS_KEYS, focus_part, headline_texts, scale_top, shown_value, ticker_texts
from store.contract import clock
from store.contract.keys import Keys
from store.contract.provinces import NATIONAL
from store.contract.reference import Reference
from store.contract.rooms import parse_room
from store.live.alerts import Alert
from store.live.cycle import Cycle, NoCycleYet, published_cycle


def room_model(
    cycle: Cycle, room: str, reference: Reference, tour_mode: str = "all", alert_sound: bool = False
) -> dict[str, Any] | None:
    """The view-model of `room` (`store.contract.rooms`) from `cycle`; None for a room of no page."""
    parsed = parse_room(room)
    if parsed is None:
        return None
    code, lang = parsed
    if code is None:
        return province_model(cycle, reference, lang, tour_mode, alert_sound)
    if code not in reference.regencies:
        return None
    return regency_model(cycle, code, reference, lang)


def current_push(
    client: redis.Redis, reference: Reference, room: str, tour_mode: str = "all", alert_sound: bool = False
) -> dict[str, Any] | None:
    """The whole model a screen of `room` starts from: the one the live worker pushed last, else (a room nobody
    watched until now) one rendered here from the published cycle, with sequence number 0 so that the worker's
    first patch makes the screen ask again. None before any cycle, or for a room of no page."""
    keys = Keys(reference.province)
    stored = client.get(keys.screen_model(room))
    if stored is not None:
        return orjson.loads(stored)
    try:
        cycle = published_cycle(client, keys)
    except NoCycleYet:
        return None
    model = room_model(cycle, room, reference, tour_mode, alert_sound)
    if model is None:
        return None
    return {"room": room, "epoch": 0, "seq": 0, "served_at": round(clock.timestamp() * 1000), "model": model}


def province_model(cycle: Cycle, reference: Reference, lang: str, tour_mode: str, alert_sound: bool) -> dict[str, Any]:
    """Everything the province wall shows in `lang`, every map metric included (the metric chooser then needs
    no server), with each regency's tour focus."""
    snapshot = cycle.snapshot
    texts = headline_texts(snapshot, reference, lang)
    return {
        "as_of": snapshot["as_of"],
        "tiles": {tile["key"]: tile["text"] for tile in texts["tiles"]},
        "late_tiles": texts["late_tiles"],
        "names": {code: reference.regencies[code].short_name for code in snapshot["regencies"]},
        "metrics": _metric_parts(snapshot, reference),
        # By key: a patch carries only the KPIs that moved (a list would be sent whole); the page lays out the pages.
        "kpis": {row["key"]: row for row in texts["kpis"]},
        # The series alone: the figure around them is the page's (`layouts/wall.py`, "trend").
        "trend": trend_series(cycle.hourly),
        # Today's counts by key: the page ranks the largest and draws their bars (`assets/wall_draw.js` `barsOf`).
        "categories": dict(snapshot["totals"]["by_category"]),
        "channels": dict(snapshot["totals"]["by_channel"]),
        **_operations_parts(cycle, reference, lang, tour_mode, alert_sound),
    }


_PARTS_KEPT = 256  # rooms' parts kept across ticks: a few languages and tour modes of every province served
_parts: dict[tuple, dict[str, Any]] = {}


def _operations_parts(
    cycle: Cycle, reference: Reference, lang: str, tour_mode: str, alert_sound: bool
) -> dict[str, Any]:
    """The parts of the province wall that move only with feed health, alerts and notices (the ticker, the silent
    regencies, the tour, the sound, each region's focus, the notices' panel): rendered once per operations run
    (`Cycle.operations_run`) that the cycles carry, not on every tick."""
    key = (cycle.operations_run, reference.province, lang, tour_mode, alert_sound)
    if cycle.operations_run is not None and key in _parts:
        return _parts[key]
    snapshot = cycle.snapshot
    regencies = snapshot["regencies"]
    ticker = ticker_texts(cycle.alerts, reference, lang)
    own_alerts: dict[str, list[Alert]] = {}
    for alert in cycle.alerts:
        own_alerts.setdefault(alert.regency, []).append(alert)
    parts = {
        "ticker": {"rows": ticker["alerts"], "total": ticker["alerts_total"]},
        "silent": [reference.regencies[code].short_name for code in snapshot["totals"]["silent_regencies"]],
        "tour": tour_order(snapshot, cycle.alerts, tour_mode),
        "sound": sound_ids(cycle.alerts, alert_sound),
        # The focus tiles' labels, once. Each region's focus comes without its tiles: their figures are the metrics'
        # values, which the page writes as `tile_text` does (`assets/wall_draw.js` `tileText`).
        "focus_labels": [[key, t(key, lang)] for key in FOCUS_KEYS],
        "focus": {
            code: focus_part(code, regencies[code], own_alerts.get(code, []), reference, lang) for code in regencies
        },
        "notices": notices_part(
            cycle.notices, datetime.fromisoformat(snapshot["as_of"]), lang, reference.province == NATIONAL
        ),
    }
    if cycle.operations_run is not None:
        if len(_parts) >= _PARTS_KEPT:
            del _parts[next(iter(_parts))]  # the oldest
        _parts[key] = parts
    return parts


def _metric_parts(snapshot: Mapping[str, Any], reference: Reference) -> dict[str, Any]:
    """Each metric as numbers: each region's value (at the precision shown) and the top of its scale. The page derives
    texts, colours, bar lengths and ranks from them (`assets/wall_draw.js` `looksOf`, by `metric_view`'s rules), so
    a push carries only the values that moved."""
    regencies = snapshot["regencies"]
    values = {code: _region_values(reference, code, figures) for code, figures in regencies.items()}
    parts = {}
    for n, metric in enumerate(METRICS):
        cells = {code: shown[n] for code, shown in values.items()}
        parts[metric] = {"high": scale_top(metric, (shown[n] for shown in values.values())), "cells": cells}
    return parts


_region_values_kept: KeptBySource[tuple[float | None, ...]] = KeptBySource()


def _region_values(reference: Reference, code: str, figures: Mapping[str, Any]) -> tuple[float | None, ...]:
    """A region's shown value of every metric (`METRICS` order), worked out again only when its figures are new: a
    cycle keeps the figures of the regions that no event touched (`store.live.cycle.CycleRunner`)."""
    regency = reference.regencies[code]
    return _region_values_kept.get(
        (reference.province, code),
        figures,
        lambda: tuple(shown_value(figures, regency, metric) for metric in METRICS),
    )


def regency_model(cycle: Cycle, code: str, reference: Reference, lang: str) -> dict[str, Any]:
    """The live part of a regency's drill-down page: today's tiles and its KPIs against the province's, and the
    time they are as of."""
    snapshot = cycle.snapshot
    return {
        "as_of": snapshot["as_of"],
        "as_of_text": fmt_time_wib(snapshot["as_of"]),
        "tiles": live_figures(snapshot["regencies"][code], lang),
        "kpis": kpi_standing_rows(kpi_standing(snapshot, code, reference), reference, lang),
    }
