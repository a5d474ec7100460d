"""Callbacks of the wall, all in the browser: the figures arrive pushed (`assets/wall.js` draws each push without
a server call), the map is drawn from its store (`assets/wall_map.js`), and a click on a regency follows its link."""

from __future__ import annotations

import dash
from dash import ALL, ClientsideFunction, Input, Output, State

from dashboard.kit import ids
from store.contract.rooms import VIEW_EVENT


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
        ClientsideFunction("screens", "connection"),
        Input(ids.WALL_SOCKET, "connected"),
        Input(ids.WALL_SOCKET, "socketId"),
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
        Input(ids.WALL_TOUR_INTERVAL, "n_intervals"),
        Input(ids.WALL_METRIC_DROPDOWN, "value"),
        State({"type": ids.WALL_TOUR, "index": ALL}, "className"),
        State(ids.WALL_TOUR_STORE, "data"),
        State(ids.WALL_ROOT, "className"),
        State(ids.WALL_STOP_STORE, "data"),
        State(ids.WALL_LANG_STORE, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("wall", "sound"),
        Output(ids.WALL_SOUND_SINK, "title"),
        Input(ids.WALL_SOUND_STORE, "data"),
        State(ids.WALL_LANG_STORE, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("wall", "drawMap"),
        Output(ids.WALL_MAP, "className"),
        Input(ids.WALL_MAP_STORE, "data"),
    )
