"""Callbacks of the wall. The figures arrive pushed (`assets/wall.js` draws each push without a server call);
what runs on the server is what a person does: clicking a regency on the map."""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, ClientsideFunction, Input, Output, State

from dashboard import ids
from store.rooms import VIEW_EVENT


def register(app: dash.Dash) -> None:
    """Attach the wall's callbacks to `app`."""
    app.clientside_callback(
        ClientsideFunction("wall", "receive"),
        Input(ids.WALL_SOCKET, f"data-{VIEW_EVENT}"),
        State(ids.WALL_LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("wall", "connected"),
        Input(ids.WALL_SOCKET, "connected"),
        State(ids.WALL_LANG_STORE, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("wall", "metric"),
        Input(ids.WALL_METRIC_DROPDOWN, "value"),
        State(ids.WALL_LANG_STORE, "data"),
    )
    app.clientside_callback(ClientsideFunction("wall", "focus"), Input(ids.WALL_STOP_STORE, "data"))
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
        Output(ids.WALL_LOCATION, "href"),
        Input({"type": ids.WALL_MAP_GRAPH, "kind": ALL}, "clickData"),
        State(ids.WALL_LANG_STORE, "data"),
        prevent_initial_call=True,
    )(open_regency)


def open_regency(clicks: list[dict[str, Any] | None], texts: dict[str, Any]) -> str:
    """Go to the drill-down page of the regency clicked on the choropleth."""
    point = next((c["points"][0] for c in clicks if c and c.get("points")), None)
    if not point or not point.get("location"):
        raise dash.exceptions.PreventUpdate
    return f"/kabkota/{point['location']}" + ("?lang=en" if texts["lang"] == "en" else "")
