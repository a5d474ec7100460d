"""Callbacks of the shift handover page: the digest from SQL history, the snapshot and acknowledgements."""

from __future__ import annotations

from typing import Any

import dash
import redis
from dash import Input, Output, State
from sqlalchemy.exc import SQLAlchemyError

from dashboard.i18n import t
from dashboard.kit import ids
from dashboard.kit.callback_inputs import LangTexts, checked
from dashboard.pages.handover.view import chosen_shift, digest_page
from dashboard.services import services
from store.contract import clock
from store.history.shifts import digest
from store.live.cycle import NoCycleYet


def register(app: dash.Dash) -> None:
    app.callback(
        Output(ids.HANDOVER_DIGEST, "children"),
        Input(ids.HANDOVER_SHIFT, "value"),
        State(ids.HANDOVER_LANG_STORE, "data"),
    )(checked(show_digest))
    app.clientside_callback(
        dash.ClientsideFunction("ops", "print"),
        Output(ids.HANDOVER_PRINT_BTN, "title"),
        Input(ids.HANDOVER_PRINT_BTN, "n_clicks"),
        prevent_initial_call=True,
    )


def show_digest(choice: str | None, texts: LangTexts) -> list[Any]:
    """The digest of the chosen shift, from its start to its end or to now, whichever comes first."""
    lang = texts["lang"]
    svc = services()
    now = clock.now()
    start, end, name = chosen_shift(choice or "", now, svc.settings.shifts)
    until = min(end, now)
    try:
        snapshot = svc.cycle().snapshot
        with svc.sessions() as session:
            summary = digest(session, svc.book, snapshot, start, until)
    except (SQLAlchemyError, redis.RedisError, NoCycleYet) as exc:
        return [dash.html.P(t("handover_unavailable", lang, error=type(exc).__name__), className="ops-result")]
    reference = svc.live.reference
    return digest_page(summary, name, reference.province_name, reference, lang)
