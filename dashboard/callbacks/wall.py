"""Callbacks of the wall, all in the browser: the figures arrive pushed (`assets/wall.js` draws each push without
a server call), the map is drawn from its store (`assets/wall_map.js`), and a click on a regency follows its link."""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, State

from dashboard.kit import ids


def register(app: dash.Dash) -> None:
    """Attach the wall's callbacks to `app`."""
    # Started with an output: Dash 4.4 skips the initial call of a callback without one (plotly/dash#3770).
    app.clientside_callback(
        ClientsideFunction("wall", "start"), Output(ids.WALL_FOLLOWING, "data"), Input(ids.WALL_LANG_STORE, "data")
    )
    app.clientside_callback(
        ClientsideFunction("wall", "metric"),
        Input(ids.WALL_METRIC_DROPDOWN, "value"),
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
