"""Callbacks of the wall: thin, each hands off to `wall_view` and `render`, registered per app."""

from __future__ import annotations

import time
from functools import partial
from typing import Any

import dash
import redis
from dash import ALL, ClientsideFunction, Input, Output, Patch, State, ctx, no_update

from dashboard import ids
from dashboard.alert_view import sound_ids, tour_order
from dashboard.context import services
from dashboard.figures import choropleth_figure
from dashboard.i18n import t
from dashboard.operations import ALERTS_EVENT, operations
from dashboard.render import (
    count_bars,
    focus_panel,
    hex_style,
    kpi_rows,
    legend,
    ranking_rows,
    silent_list,
    ticker,
)
from dashboard.wall_delta import Delta
from dashboard.wall_view import focus_view, wall_view
from store.cycle import Cycle, NoCycleYet
from store.reference import Reference


def register(app: dash.Dash) -> None:
    """Attach the wall's callbacks to `app`."""
    app.clientside_callback(
        ClientsideFunction("wall", "gate"),
        Output(ids.WALL_REFRESH_STORE, "data"),
        Input(ids.WALL_SOCKET, "data-tick"),
        prevent_initial_call=True,
    )
    app.clientside_callback(ClientsideFunction("wall", "settle"), Input(ids.WALL_ASOF_STORE, "data"))
    app.clientside_callback(
        ClientsideFunction("wall", "viewport"),
        Output(ids.WALL_VIEWPORT_STORE, "data"),
        Input(ids.WALL_LANG_STORE, "data"),
        Input(ids.WALL_SYNC_INTERVAL, "n_intervals"),
        State(ids.WALL_VIEWPORT_STORE, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("wall", "clock"),
        Output(ids.WALL_CLOCK, "children"),
        Output(ids.WALL_BADGE, "children"),
        Output(ids.WALL_BADGE, "className"),
        Input(ids.WALL_CLOCK_INTERVAL, "n_intervals"),
        Input(ids.WALL_SOCKET, "connected"),
        Input(ids.WALL_ASOF_STORE, "data"),
        State(ids.WALL_LANG_STORE, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("wall", "tour"),
        Output({"type": ids.WALL_TOUR, "index": ALL}, "className"),
        Output(ids.WALL_TOUR_BAR, "className"),
        Output(ids.WALL_ROOT, "className"),
        Output(ids.WALL_STOP_STORE, "data"),
        Output({"type": ids.WALL_HEX, "code": ALL}, "className"),
        Input(ids.WALL_TOUR_INTERVAL, "n_intervals"),
        State({"type": ids.WALL_TOUR, "index": ALL}, "className"),
        State(ids.WALL_TOUR_STORE, "data"),
        State(ids.WALL_ROOT, "className"),
        State(ids.WALL_STOP_STORE, "data"),
        State({"type": ids.WALL_HEX, "code": ALL}, "id"),
        State(ids.WALL_LANG_STORE, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("wall", "sound"),
        Output(ids.WALL_SOUND_SINK, "title"),
        Input(ids.WALL_SOUND_STORE, "data"),
        State(ids.WALL_LANG_STORE, "data"),
    )
    app.callback(
        Output({"type": ids.WALL_TILE_VALUE, "key": ALL}, "children"),
        Output({"type": ids.WALL_TILE_VALUE, "key": ALL}, "className"),
        Output({"type": ids.WALL_HEX, "code": ALL}, "style"),
        Output({"type": ids.WALL_MAP_GRAPH, "kind": ALL}, "figure"),
        Output(ids.WALL_LEGEND, "children"),
        Output({"type": ids.WALL_RANKING, "part": "title", "index": ALL}, "children"),
        Output({"type": ids.WALL_RANKING, "part": "rows", "index": ALL}, "children"),
        Output({"type": ids.WALL_KPIS, "index": ALL}, "children"),
        Output(ids.WALL_TREND_GRAPH, "figure"),
        Output(ids.WALL_CATEGORIES, "children"),
        Output(ids.WALL_CHANNELS, "children"),
        Output(ids.WALL_TICKER, "children"),
        Output(ids.WALL_FEED, "children"),
        Output(ids.WALL_TOUR_STORE, "data"),
        Output(ids.WALL_SOUND_STORE, "data"),
        Output(ids.WALL_ASOF_STORE, "data"),
        Output(ids.WALL_DIGEST_STORE, "data"),
        Output(ids.WALL_FOCUS, "children"),
        Input(ids.WALL_REFRESH_STORE, "data"),
        Input(ids.WALL_SOCKET, f"data-{ALERTS_EVENT}"),
        Input(ids.WALL_SOCKET, "connected"),
        Input(ids.WALL_SYNC_INTERVAL, "n_intervals"),
        Input(ids.WALL_METRIC_DROPDOWN, "value"),
        Input(ids.WALL_VIEWPORT_STORE, "data"),
        State(ids.WALL_LANG_STORE, "data"),
        State({"type": ids.WALL_TILE_VALUE, "key": ALL}, "children"),
        State({"type": ids.WALL_TILE_VALUE, "key": ALL}, "className"),
        State(ids.WALL_DIGEST_STORE, "data"),
        State(ids.WALL_STOP_STORE, "data"),
    )(refresh)
    app.callback(
        Output(ids.WALL_FOCUS, "children", allow_duplicate=True),
        Input(ids.WALL_STOP_STORE, "data"),
        State(ids.WALL_LANG_STORE, "data"),
        prevent_initial_call=True,
    )(focus)
    app.callback(
        Output(ids.WALL_LOCATION, "href"),
        Input({"type": ids.WALL_MAP_GRAPH, "kind": ALL}, "clickData"),
        State(ids.WALL_LANG_STORE, "data"),
        prevent_initial_call=True,
    )(open_regency)


def refresh(
    _tick: Any,
    _alerts: Any,
    connected: bool | None,
    _n: int | None,
    metric: str | None,
    viewport: dict[str, Any] | None,
    texts: dict[str, Any],
    shown: list[str],
    classes: list[str],
    digests: dict[str, Any] | None,
    stop: dict[str, Any] | None,
) -> tuple[Any, ...]:
    """Re-read the published cycle (snapshot, alerts, trend) after a tick (let through by the page's clientside
    gate), an alert event, a reconnect, the safety interval or a change of metric; silent regencies are drawn
    grey as "no data". Only outputs that changed since the page's last answer are rendered and sent (`Delta`),
    the tour's focus panel included (the tour's moves redraw it through `focus`)."""
    triggered = set(ctx.triggered_prop_ids)
    if f"{ids.WALL_SOCKET}.connected" in triggered and not connected:
        raise dash.exceptions.PreventUpdate  # dropped: keep what is shown, the badge says DISCONNECTED
    svc = services()
    lang = texts["lang"]
    font_px = (viewport or {}).get("font_px") or svc.min_font_px
    try:
        cycle = operations().cycle()
    except (redis.RedisError, NoCycleYet):
        raise dash.exceptions.PreventUpdate from None  # the badge turns STALE as `as_of` ages
    snapshot, reference = cycle.snapshot, svc.live.reference
    view = wall_view(snapshot, cycle.hourly, reference, lang, metric or "", font_px, cycle.alerts)
    delta = Delta(digests)
    silent = [reference.regencies[code].short_name for code in snapshot["totals"]["silent_regencies"]]
    values = [tile["text"] for tile in view["tiles"]]
    flashed = [_flash(old, new, cls) for old, new, cls in zip(shown, values, classes, strict=True)]
    cells = view["cells"]
    hexes = [hex_style(cells[item["id"]["code"]]) for item in ctx.outputs_list[2]]
    maps = [delta.one("map", _map_source(view, font_px), partial(_choropleth, svc)) for _ in ctx.outputs_list[3]]
    pages = view["ranking_pages"]
    total = len(cells)
    titles = [
        t("ranking_title", lang, first=p[0]["rank"], last=p[-1]["rank"], total=total, metric=view["metric_label"])
        for p in pages
    ]
    return (
        [new if new != old else no_update for old, new in zip(shown, values, strict=True)],
        flashed,
        delta.each("hexes", hexes, _same),
        maps,
        delta.one("legend", view["legend"], lambda _spec: legend(view)),
        delta.each("titles", titles, _same),
        delta.each("ranking", pages, lambda page: ranking_rows(page, lang)),
        delta.each("kpis", view["kpi_pages"], kpi_rows),
        _trend(delta, view["trend"]),
        delta.one("categories", view["categories"], count_bars),
        delta.one("channels", view["channels"], count_bars),
        delta.one("ticker", (view["alerts"], view["alerts_more"]), partial(_ticker, texts)),
        delta.one("feed", silent, lambda names: silent_list(names, texts["feed_all_ok"])),
        delta.one("tour", tour_order(snapshot, cycle.alerts, svc.settings.tour_mode), _same),
        delta.one("sound", sound_ids(cycle.alerts, svc.settings.alert_sound), _same),
        {"as_of": view["as_of"], "served_at": server_time_ms()},
        delta.digests,
        delta.one("focus", _focus_view(stop, cycle, reference, lang), focus_panel),
    )


def server_time_ms() -> int:
    """This server's clock (epoch milliseconds): the page reads its clock and the figures' age against it, not
    against the clock of the PC it runs on."""
    return round(time.time() * 1000)


def _same(value: Any) -> Any:
    return value


def _ticker(texts: dict[str, Any], source: tuple[list[dict[str, Any]], str]) -> list[Any]:
    rows, more_text = source
    return ticker(rows, more_text, texts["alerts_clear"], texts["acknowledged"])


def _trend(delta: Delta, figure: dict[str, Any]) -> Any:
    """The trend whole when the page has none or its layout changed, else a patch of the series' points (a tick
    moves only the counts of the last hours), or nothing."""
    had_trend = delta.seen("trend")
    layout_changed = delta.changed("trend_layout", figure["layout"])
    if not delta.changed("trend", figure["data"]) and not layout_changed:
        return no_update
    if layout_changed or not had_trend:
        return figure
    patch = Patch()
    for index, series in enumerate(figure["data"]):
        patch["data"][index]["x"] = series["x"]
        patch["data"][index]["y"] = series["y"]
    return patch


def _flash(old: str | None, new: str, classes: str | None) -> Any:
    """Restart the flash animation on a changed number by switching between two identical animations."""
    if old in (None, "–") or old == new:
        return no_update
    return "tile-value flash-b" if "flash-a" in (classes or "") else "tile-value flash-a"


def _map_source(view: dict[str, Any], font_px: float) -> tuple[list[str], list[Any], list[str], float]:
    """What the choropleth shows: regencies, values, hover texts, font size (its boundaries never change)."""
    cells = view["cells"]
    codes = list(cells)
    names = [f"{cells[c]['name']}: {cells[c]['text']}" for c in codes]
    return codes, [cells[c]["value"] for c in codes], names, font_px


def _choropleth(svc: Any, source: tuple[list[str], list[Any], list[str], float]) -> dict[str, Any]:
    return choropleth_figure(svc.boundaries, *source)


def open_regency(clicks: list[dict[str, Any] | None], texts: dict[str, Any]) -> str:
    """Go to the drill-down page of the regency clicked on the choropleth."""
    point = next((c["points"][0] for c in clicks if c and c.get("points")), None)
    if not point or not point.get("location"):
        raise dash.exceptions.PreventUpdate
    return f"/kabkota/{point['location']}" + ("?lang=en" if texts["lang"] == "en" else "")


def focus(stop: dict[str, Any] | None, texts: dict[str, Any]) -> list[Any]:
    """The focus panel when the tour moves on (between moves, `refresh` keeps it current)."""
    try:
        cycle = operations().cycle()
    except (redis.RedisError, NoCycleYet):
        raise dash.exceptions.PreventUpdate from None
    return focus_panel(_focus_view(stop, cycle, services().live.reference, texts["lang"]))


def _focus_view(stop: dict[str, Any] | None, cycle: Cycle, reference: Reference, lang: str) -> dict[str, Any]:
    """The regency the tour is showing (the last one shown, at the province's stops), with its alerts."""
    alerts = cycle.alerts  # most severe first
    code = (stop or {}).get("code")
    if code not in reference.regencies:  # before the tour's first regency: the most severe alert's, else the first
        code = alerts[0].regency if alerts and alerts[0].regency in reference.regencies else min(reference.regencies)
    return focus_view(code, cycle.snapshot["regencies"][code], alerts, reference, lang)
