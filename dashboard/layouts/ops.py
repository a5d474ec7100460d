"""Operations, "/ops": alerts to acknowledge, deadline notices (escalations awaiting acknowledgement, the
outbox's failures and retries), every screen's health, stream lag, worker heartbeats, ingest rates,
feed health, and dead letters to fix and replay. For operators at a desk: denser than the wall."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html
from dash_socketio import DashSocketIO

from dashboard.i18n import DEFAULT_LANG, LANGS, dropdown_labels, t
from dashboard.kit import ids
from dashboard.kit.header import page_header
from dashboard.kit.titles import tab_title
from dashboard.services import services
from store.contract.rooms import ALERTS_EVENT

dash.register_page(__name__, path="/ops", title=tab_title("tab_ops"), name="ops")

REFRESH_MS = 5_000


def layout(lang: str = DEFAULT_LANG, **_query: Any) -> html.Div:
    lang = lang if lang in LANGS else DEFAULT_LANG
    return html.Div(
        [
            dcc.Location(id=ids.OPS_LOCATION),
            DashSocketIO(id=ids.OPS_SOCKET, eventNames=[ALERTS_EVENT]),
            dcc.Interval(id=ids.OPS_INTERVAL, interval=REFRESH_MS),
            dcc.Store(id=ids.OPS_LANG_STORE, data={"lang": lang}),
            dcc.Store(id=ids.OPS_REPLAY_ENTRY),
            page_header("/ops", {}, services().live.reference.province_name, lang),
            html.Header([html.H1(t("ops_title", lang)), html.Div(id=ids.OPS_ASOF, className="ops-asof")]),
            html.Section(
                [
                    html.H2(t("alerts_title", lang)),
                    _alert_controls(lang),
                    html.Div(id=ids.OPS_ACK_RESULT, className="ops-result", role="status"),
                    html.Div(id=ids.OPS_ALERTS),
                ],
                className="ops-section ops-alerts",
            ),
            html.Section(
                [
                    html.Div(id=ids.OPS_NOTICE_ACK_RESULT, className="ops-result", role="status"),
                    html.Div(id=ids.OPS_NOTICES),
                ],
                className="ops-section ops-notices",
            ),
            html.Section(id=ids.OPS_SCREENS, className="ops-section ops-screens"),
            html.Section(id=ids.OPS_STREAM, className="ops-section"),
            html.Section(id=ids.OPS_HEARTBEATS, className="ops-section"),
            html.Section(id=ids.OPS_INGEST, className="ops-section"),
            html.Section(
                [
                    html.Div(id=ids.OPS_DEAD_LETTERS),
                    html.Label(t("ops_fix_text", lang), id=ids.OPS_REPLAY_LABEL, htmlFor=ids.OPS_REPLAY_TEXT),
                    dcc.Textarea(id=ids.OPS_REPLAY_TEXT, className="ops-fix", spellCheck=False),
                    html.Button(t("ops_replay", lang), id=ids.OPS_REPLAY_BTN, className="ops-btn"),
                    html.Div(id=ids.OPS_REPLAY_RESULT, className="ops-result", role="status"),
                ],
                className="ops-section ops-dead",
            ),
            html.Section(id=ids.OPS_FEED, className="ops-section ops-feed"),
        ],
        className="ops-page",
        lang=lang,
    )


def _alert_controls(lang: str) -> html.Div:
    """One regency's alerts only, and acknowledging every waiting alert shown at once."""
    regencies = sorted(services().live.reference.regencies.values(), key=lambda r: r.name)
    return html.Div(
        [
            html.Label(t("ops_alert_regency", lang), htmlFor=ids.OPS_ALERT_REGENCY),
            dcc.Dropdown(
                id=ids.OPS_ALERT_REGENCY,
                options=[{"label": r.name, "value": r.code} for r in regencies],
                placeholder=t("ops_all_regencies", lang),
                labels=dropdown_labels(lang),
                className="ops-filter",
            ),
            html.Button(t("ops_ack_all", lang), id=ids.OPS_ACK_ALL_BTN, className="ops-btn"),
        ],
        className="handover-controls",
    )
