"""The province wall, "/": read from across the room, pushed live over Socket.IO."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from dashboard.i18n import DEFAULT_LANG, LANGS, area_text, dropdown_labels, name_in, plural_forms, t
from dashboard.i18n.formats import number_locale
from dashboard.kit import ids
from dashboard.kit.titles import tab_title
from dashboard.pages.wall.figures import DEFAULT_METRIC, LATE_COLOUR, METRICS, trend_figure
from dashboard.pages.wall.map_view import map_spec
from dashboard.pages.wall.view import TILE_KEYS, metric_spec, tour_steps
from dashboard.services import is_wall_screen, services
from dashboard.tenancy import app_path
from store.contract.provinces import NATIONAL
from store.contract.reference import Reference
from store.contract.rooms import province_room
from store.contract.settings import Settings

dash.register_page(__name__, path="/", title=tab_title("tab_wall"), name="wall")

PAUSE_S = 60  # the tour rests this long after someone moves the mouse, clicks or presses a key
TREND_FONT_PX = 51  # the trend's figure as sent; the page scales it to its own legibility minimum

_EMPTY_LAYOUT = {"paper_bgcolor": "rgba(0,0,0,0)", "xaxis": {"visible": False}, "yaxis": {"visible": False}}


def layout(lang: str = DEFAULT_LANG, kiosk: str = "", **_query: Any) -> html.Div:
    """The wall; a kiosk (no controls, no cursor, burn-in shift) with `?kiosk=1` or on a wall-token screen."""
    lang = lang if lang in LANGS else DEFAULT_LANG
    svc = services()
    reference = svc.live.reference
    national = reference.province == NATIONAL
    steps = tour_steps(len(reference.regencies), len(reference.kpis))
    is_kiosk = kiosk in ("1", "true", "yes") or is_wall_screen()
    tour_ms = 1000 * svc.settings.tour_seconds
    return html.Div(
        [
            dcc.Store(
                id=ids.WALL_LANG_STORE, data=_client_texts(lang, svc.min_font_vh, tour_ms, svc.settings, reference)
            ),
            dcc.Store(id=ids.WALL_FOLLOWING),
            dcc.Store(id=ids.WALL_SOUND_STORE, data=[]),
            html.Div(id=ids.WALL_SOUND_SINK, hidden=True),
            _header(reference.province_name, lang, national, is_kiosk),
            _map_panel(svc, lang),
            _tiles(lang),
            _tour(steps, lang, national),
            html.Section(id=ids.WALL_FOCUS, className="panel focus"),
            html.Section(
                [html.H2(area_text("feed_title", lang, national), className="panel-title"), html.Div(id=ids.WALL_FEED)],
                className="panel feed-panel",
            ),
            html.Div(id=ids.WALL_TICKER, className="panel ticker"),
        ],
        id=ids.WALL_ROOT,
        className=" ".join(["wall", *(["kiosk"] if is_kiosk else []), *(["national"] if national else [])]),
        lang=lang,
        # The late colour is the map's worst: one meaning of red on the whole wall.
        style={
            "--min-font": f"{svc.min_font_vh}vh",
            "--tour-s": f"{svc.settings.tour_seconds}s",
            "--late": LATE_COLOUR,
        },
    )


def _client_texts(
    lang: str, min_font_vh: float, tour_ms: int, settings: Settings, reference: Reference
) -> dict[str, Any]:
    """What the page's script needs: its room, the language's words, the legibility minimum, the tour's timing."""
    national = reference.province == NATIONAL
    return {
        "lang": lang,
        "room": province_room(lang),
        "metric": DEFAULT_METRIC,
        "live": t("live", lang),
        "stale": t("stale", lang),
        "disconnected": t("disconnected", lang),
        "minutes": t("minutes", lang),
        "as_of": t("wall_as_of", lang),
        "stale_after_s": settings.wall_stale_seconds,
        "min_font_vh": min_font_vh,
        "tour_ms": tour_ms,
        "pause_ms": 1000 * PAUSE_S,
        "alert_sound": settings.alert_sound,
        "acknowledged": t("acknowledged", lang),
        "alerts_clear": t("alerts_clear", lang),
        "alerts_more": plural_forms("alerts_more", lang),
        "alerts_more_short": plural_forms("alerts_more_short", lang),
        "ranking_title": t("ranking_title", lang),
        # How the page derives a metric's texts and colours from the pushed values (`metric_view`'s rules).
        "metrics": {metric: metric_spec(metric, lang) for metric in METRICS},
        "number_locale": number_locale(lang),
        "no_data": t("no_data", lang),
        # The names of the counts' keys (`assets/wall_draw.js` `barsOf`).
        "category_names": {key: name_in(entry, lang) for key, entry in reference.categories.items()},
        "channel_names": {key: name_in(entry, lang) for key, entry in reference.channels.items()},
        # The trend's figure, its series left empty: each push fills them (`assets/wall_draw.js` `trendAt`).
        "trend": trend_figure({"hour": [], "received": [], "resolved": []}, lang, TREND_FONT_PX),
        "feed_all_ok": area_text("feed_all_ok", lang, national),
        "notices_none": t("ops_notices_none_waiting", lang),
        "notices_uncounted": t("wall_notices_uncounted", lang),
        "notices_stale": t("wall_notices_stale", lang),
        "notices_more": plural_forms("national_wall_notices_more" if national else "wall_notices_more", lang),
    }


def _header(province_name: str, lang: str, national: bool, is_kiosk: bool) -> html.Header:
    """The title, the clock and the badge; off a kiosk, an official's way in to the desk pages."""
    suffix = "?lang=en" if lang == "en" else ""
    desk = (
        []
        if is_kiosk
        else [html.A(t("wall_desk_link", lang), href=app_path("/sekarang" + suffix), className="wall-desk")]
    )
    return html.Header(
        [
            html.H1(area_text("title", lang, national, province=province_name), className="wall-title"),
            *desk,
            html.Div(id=ids.WALL_CLOCK, className="wall-clock"),
            html.Div(id=ids.WALL_BADGE, className="badge"),
        ],
        className="wall-header",
    )


def _map_panel(svc: Any, lang: str) -> html.Section:
    options = [{"label": t(f"metric_{m}", lang), "value": m} for m in METRICS]
    spec = map_spec(svc.map_drawing, svc.live.reference, svc.settings.wall_map, lang, svc.settings.provinces)
    return html.Section(
        [
            dcc.Dropdown(
                id=ids.WALL_METRIC_DROPDOWN,
                options=options,
                value=DEFAULT_METRIC,
                clearable=False,
                searchable=False,
                persistence=True,
                labels=dropdown_labels(lang),
                className="metric-dropdown",
            ),
            # Drawn by the page's script (assets/wall_map.js) from the store, recoloured in place by each push.
            dcc.Store(id=ids.WALL_MAP_STORE, data=spec),
            html.Div(id=ids.WALL_MAP, className=f"map-area map-{spec['kind']}"),
            html.Div(id=ids.WALL_LEGEND, className="legend"),
        ],
        className="panel map-panel",
    )


def _tiles(lang: str) -> html.Section:
    return html.Section(
        [
            # When the figures were counted (wall.js, from each push): the time beside them, not only the badge.
            html.H2(
                [t("tiles_title", lang), " ", html.Span(id=ids.WALL_AS_OF, className="wall-as-of")],
                className="panel-title tiles-title",
            ),
            *(
                html.Div(
                    [
                        html.Div(t(key, lang), className="tile-label"),
                        html.Div("–", id={"type": ids.WALL_TILE_VALUE, "key": key}, className="tile-value"),
                    ],
                    className=f"tile tile-{key}",
                )
                for key in TILE_KEYS
            ),
        ],
        className="panel tiles",
    )


def _tour(steps: list[str], lang: str, national: bool) -> html.Section:
    panels = []
    for index, step in enumerate(steps):
        kind, _, page = step.partition(":")
        panels.append(
            html.Div(
                _step_content(kind, int(page or 0), lang, national),
                className="tour-step" + (" active" if index == 0 else ""),
            )
        )
    return html.Section(
        [*panels, html.Div(html.Div(id=ids.WALL_TOUR_BAR, className="tour-bar"), className="tour-track")],
        className="panel tour",
    )


def _step_content(kind: str, page: int, lang: str, national: bool) -> list[Any]:
    if kind == "ranking":
        return [
            html.H2(id={"type": ids.WALL_RANKING, "part": "title", "index": page}, className="panel-title"),
            html.Div(id={"type": ids.WALL_RANKING, "part": "rows", "index": page}, className="rank-list ranking"),
        ]
    if kind == "kpis":
        return [
            html.H2(area_text("kpis_title", lang, national), className="panel-title"),
            html.Div(id={"type": ids.WALL_KPIS, "index": page}, className="kpi-list"),
        ]
    if kind == "notices":
        title = html.H2(t("wall_notices_title", lang), className="panel-title")
        return [title, html.Div(id=ids.WALL_NOTICES, className="notices")]
    if kind in ("categories", "channels"):
        list_id = ids.WALL_CATEGORIES if kind == "categories" else ids.WALL_CHANNELS
        return [html.H2(t(f"{kind}_title", lang), className="panel-title"), html.Div(id=list_id, className="rank-list")]
    return [
        html.H2(t("trend_title", lang), className="panel-title"),
        dcc.Graph(
            id=ids.WALL_TREND_GRAPH,
            figure={"data": [], "layout": _EMPTY_LAYOUT},
            config={"displayModeBar": False, "staticPlot": True},
            responsive=True,
            className="tour-graph",
            style={"height": "100%"},
        ),
    ]
