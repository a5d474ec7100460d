"""Callbacks of `/ops`: thin, handing off to `store.pipeline.ops`, `dashboard.services` and
`dashboard.pages.ops.view`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import dash
import redis
from dash import ALL, Input, Output, State, ctx
from sqlalchemy.exc import SQLAlchemyError

from dashboard.i18n import t
from dashboard.i18n.formats import fmt_number, fmt_time_wib
from dashboard.kit import ids
from dashboard.kit.alerts import alert_rows, alert_text
from dashboard.kit.callback_inputs import LangTexts, checked
from dashboard.pages.ops.view import (
    alerts_table,
    dead_letters_panel,
    feed_panel,
    heartbeats_panel,
    ingest_panel,
    notices_panel,
    screens_panel,
    stream_panel,
)
from dashboard.services import services, signed_in_name
from store.contract import clock
from store.contract.rooms import ALERTS_EVENT
from store.live.alerts import Alert
from store.live.cycle import NoCycleYet
from store.live.screens import ScreenRegistry, ScreenRules
from store.notices.escalate import acknowledge as acknowledge_escalation
from store.notices.outbox import awaiting, outbox_counts, per_opd, troubles
from store.notices.rules import breach_rules, rules_of
from store.notices.standing import publish_standing
from store.pipeline import ops as ops_store

DEAD_LETTERS_SHOWN = 50
NOTICES_SHOWN = 50


def register(app: dash.Dash) -> None:
    """Attach the callbacks of `/ops` to `app`."""
    app.callback(
        Output(ids.OPS_ASOF, "children"),
        Output(ids.OPS_STREAM, "children"),
        Output(ids.OPS_HEARTBEATS, "children"),
        Output(ids.OPS_INGEST, "children"),
        Output(ids.OPS_FEED, "children"),
        Output(ids.OPS_ALERTS, "children"),
        Output(ids.OPS_SCREENS, "children"),
        Output(ids.OPS_DEAD_LETTERS, "children"),
        Input(ids.OPS_INTERVAL, "n_intervals"),
        Input(ids.OPS_SOCKET, f"data-{ALERTS_EVENT}"),
        Input(ids.OPS_ACK_RESULT, "children"),
        Input(ids.OPS_REPLAY_RESULT, "children"),
        Input(ids.OPS_ALERT_REGENCY, "value"),
        State(ids.OPS_LANG_STORE, "data"),
    )(checked(refresh))
    app.callback(
        Output(ids.OPS_NOTICES, "children"),
        Input(ids.OPS_INTERVAL, "n_intervals"),
        Input(ids.OPS_NOTICE_ACK_RESULT, "children"),
        State(ids.OPS_LANG_STORE, "data"),
    )(checked(refresh_notices))
    app.callback(
        Output(ids.OPS_NOTICE_ACK_RESULT, "children"),
        Input({"type": ids.OPS_NOTICE_ACK_BTN, "escalation": ALL}, "n_clicks"),
        State(ids.OPS_LANG_STORE, "data"),
        prevent_initial_call=True,
    )(checked(acknowledge_notice))
    app.callback(
        Output(ids.OPS_ACK_RESULT, "children", allow_duplicate=True),
        Input(ids.OPS_ACK_ALL_BTN, "n_clicks"),
        State(ids.OPS_ALERT_REGENCY, "value"),
        State(ids.OPS_LANG_STORE, "data"),
        prevent_initial_call=True,
    )(checked(acknowledge_all))
    app.callback(
        Output(ids.OPS_ACK_RESULT, "children"),
        Input({"type": ids.OPS_ACK_BTN, "alert": ALL}, "n_clicks"),
        State(ids.OPS_LANG_STORE, "data"),
        prevent_initial_call=True,
    )(checked(acknowledge))
    app.callback(
        Output(ids.OPS_REPLAY_ENTRY, "data"),
        Output(ids.OPS_REPLAY_TEXT, "value"),
        Output(ids.OPS_REPLAY_LABEL, "children"),
        Input({"type": ids.OPS_DEAD_PICK_BTN, "entry": ALL}, "n_clicks"),
        State(ids.OPS_LANG_STORE, "data"),
        prevent_initial_call=True,
    )(checked(pick))
    app.callback(
        Output(ids.OPS_REPLAY_RESULT, "children"),
        Input(ids.OPS_REPLAY_BTN, "n_clicks"),
        State(ids.OPS_REPLAY_ENTRY, "data"),
        State(ids.OPS_REPLAY_TEXT, "value"),
        State(ids.OPS_LANG_STORE, "data"),
        prevent_initial_call=True,
    )(checked(replay))


def refresh(
    _n: Any, _event: Any, _acked: Any, _replayed: Any, regency: str | None, texts: LangTexts
) -> tuple[Any, ...]:
    """Re-read everything on the interval, on an alert event from any screen, after an ack or a replay, and when
    the alerts are narrowed to one `regency`."""
    lang = texts["lang"]
    svc = services()
    now = clock.now()
    try:
        cycle = svc.cycle()
        status = ops_store.ops_status(svc.live.redis, svc.keys, now, svc.settings.stream_maxlen)
        entries = ops_store.dead_letters(svc.live.redis, svc.keys, DEAD_LETTERS_SHOWN)
        rules = ScreenRules.from_settings(svc.settings)
        screens = ScreenRegistry(svc.live.redis, svc.keys, rules).screens(now.timestamp())
    except (redis.RedisError, NoCycleYet):
        raise dash.exceptions.PreventUpdate from None
    reference = svc.live.reference
    return (
        t("ops_as_of", lang, time=fmt_time_wib(status["as_of"])),
        stream_panel(status["stream"], lang),
        heartbeats_panel(status["heartbeats"], lang),
        ingest_panel(status["ingest"], lang),
        feed_panel(cycle.health, reference, lang),
        alerts_table(alert_rows(_of(cycle.alerts, regency), reference, lang), lang),
        screens_panel(screens, now.timestamp(), rules, lang),
        dead_letters_panel(entries, status["dead_letters"], status["dead_letter_floods"], lang),
    )


def refresh_notices(_n: Any, _acked: Any, texts: LangTexts) -> list[Any]:
    """The notices' section, from SQL, on the interval and after an acknowledgement."""
    svc, now = services(), clock.now()
    try:
        with svc.sessions() as session:
            counts = outbox_counts(session, svc.province, now - timedelta(days=1))
            breaches = breach_rules(rules_of(svc.province, svc.settings.notice_rules_file()))
            opds = per_opd(session, svc.province, breaches, NOTICES_SHOWN)
            waiting, total = awaiting(session, svc.province, NOTICES_SHOWN)
            trouble = troubles(session, svc.province, NOTICES_SHOWN)
    except SQLAlchemyError:
        raise dash.exceptions.PreventUpdate from None
    return notices_panel(counts, opds, waiting, total, trouble, svc.live.reference, texts["lang"])


def acknowledge_notice(clicks: list[int | None], texts: LangTexts) -> str:
    """Acknowledge the escalation whose button was pressed, as the signed-in user: it stops climbing."""
    if not ctx.triggered_id or not any(clicks):
        raise dash.exceptions.PreventUpdate
    escalation = ctx.triggered_id.get("escalation")
    if not isinstance(escalation, int):
        raise dash.exceptions.PreventUpdate  # not an id this page drew
    user, svc, lang = signed_in_name(), services(), texts["lang"]
    with svc.sessions.begin() as session:
        done = acknowledge_escalation(session, escalation, user, clock.now())
    if done:  # the wall drops it now, not at the notices worker's next pass
        publish_standing(svc.sessions, svc.live.redis, svc.settings, svc.province, clock.now())
    return t("ops_acked", lang, by=user) if done else t("ops_ack_gone", lang)


def acknowledge(clicks: list[int | None], texts: LangTexts) -> str:
    """Acknowledge the alert whose button was pressed, as the signed-in user; every screen is told."""
    if not ctx.triggered_id or not any(clicks):
        raise dash.exceptions.PreventUpdate  # buttons drawn anew, nobody pressed one
    alert_id = ctx.triggered_id.get("alert")
    if not isinstance(alert_id, str):
        raise dash.exceptions.PreventUpdate  # not an id this page drew
    user, svc, lang = signed_in_name(), services(), texts["lang"]
    alert = svc.acknowledge(alert_id, user)
    if alert is None:
        return t("ops_ack_gone", lang)
    return f"{t('ops_acked', lang, by=user)} ({alert_text(alert, svc.live.reference, lang)})"


def acknowledge_all(clicks: int | None, regency: str | None, texts: LangTexts) -> str:
    """Acknowledge every alert still waiting among those shown (one regency's, or all), as the signed-in user."""
    if not clicks:
        raise dash.exceptions.PreventUpdate
    svc, lang = services(), texts["lang"]
    waiting = [a.id for a in _of(svc.book.active(), regency) if a.acknowledged_by is None]
    user = signed_in_name()
    return t("ops_acked_all", lang, count=fmt_number(len(svc.acknowledge_all(waiting, user)), lang), by=user)


def _of(alerts: list[Alert], regency: str | None) -> list[Alert]:
    """The alerts of `regency`, or all of them."""
    return [a for a in alerts if a.regency == regency] if regency else alerts


def pick(clicks: list[int | None], texts: LangTexts) -> tuple[str, str, str]:
    """Put a dead-letter entry's raw input into the text area, to be fixed and replayed."""
    if not ctx.triggered_id or not any(clicks):
        raise dash.exceptions.PreventUpdate
    entry_id = ctx.triggered_id.get("entry")
    svc = services()
    entry = ops_store.dead_letter_entry(svc.live.redis, svc.keys, entry_id)
    if entry is None:
        raise dash.exceptions.PreventUpdate  # replayed meanwhile, or not an id this page drew
    return entry_id, entry.raw, t("ops_fix_label", texts["lang"], id=entry_id)


def replay(_n: int | None, entry_id: str | None, text: str | None, texts: LangTexts) -> str:
    """Validate the (fixed) entry again and, if valid, append it to the event stream and drop the dead letter."""
    lang = texts["lang"]
    if not entry_id:
        return t("ops_replay_pick", lang)
    svc = services()
    result = ops_store.replay(
        svc.live.redis,
        svc.keys,
        entry_id,
        text if text and text.strip() else None,
        svc.live.reference,
        clock.now(),
        svc.settings.stream_maxlen,
    )
    return (
        t("ops_replay_ok", lang, id=result.stream_id) if result.ok else t("ops_replay_failed", lang, error=result.error)
    )
