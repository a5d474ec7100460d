"""Shift handover, "/serah-terima": what happened since the shift began (or in the previous shift), printable."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from dashboard.i18n import DEFAULT_LANG, LANGS, dropdown_labels, t
from dashboard.kit import ids
from dashboard.kit.header import page_header
from dashboard.kit.titles import tab_title
from dashboard.pages.handover.view import CURRENT, PREVIOUS, chosen_shift
from dashboard.services import services
from store.contract import clock

dash.register_page(__name__, path="/serah-terima", title=tab_title("tab_handover"), name="handover")


def layout(lang: str = DEFAULT_LANG, **_query: Any) -> html.Div:
    lang = lang if lang in LANGS else DEFAULT_LANG
    shifts = services().settings.shifts
    now = clock.now()
    options = [
        {"label": t(f"handover_{choice}", lang, name=chosen_shift(choice, now, shifts)[2]), "value": choice}
        for choice in (CURRENT, PREVIOUS)
    ]
    return html.Div(
        [
            page_header("/serah-terima", {}, services().live.reference.province_name, lang),
            dcc.Store(id=ids.HANDOVER_LANG_STORE, data={"lang": lang}),
            html.Div(
                [
                    dcc.Dropdown(
                        id=ids.HANDOVER_SHIFT,
                        options=options,
                        value=CURRENT,
                        clearable=False,
                        searchable=False,
                        labels=dropdown_labels(lang),
                    ),
                    html.Button(t("handover_print", lang), id=ids.HANDOVER_PRINT_BTN, className="ops-btn"),
                ],
                className="handover-controls",
            ),
            html.Div(id=ids.HANDOVER_DIGEST),
        ],
        className="ops-page handover-page",
        lang=lang,
    )
