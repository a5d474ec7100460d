"""Callbacks of the visit pack: its print button opens the browser's print dialog (save as PDF for the pack)."""

from __future__ import annotations

import dash
from dash import Input, Output

from dashboard.kit import ids


def register(app: dash.Dash) -> None:
    app.clientside_callback(
        dash.ClientsideFunction("ops", "print"),
        Output(ids.VISIT_PRINT_BTN, "title"),
        Input(ids.VISIT_PRINT_BTN, "n_clicks"),
        prevent_initial_call=True,
    )
