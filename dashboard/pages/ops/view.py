"""The panels of `/ops` from plain data (`store.pipeline.ops`, feed health, alert rows): components only, no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import html

from dashboard.i18n import t, tn
from dashboard.i18n.formats import age_text, date_time_text, fmt_number, fmt_time_wib
from dashboard.kit import ids
from dashboard.kit.tables import table
from store.contract.calendar import iso_wib
from store.contract.notice_standing import OpdStanding
from store.contract.reference import Reference
from store.contract.tracking import tracking_number
from store.live.feed_health import FeedHealth
from store.live.screens import Screen, ScreenRules
from store.notices.outbox import Trouble, Waiting
from store.notices.texts import rule_text, tier_text
from store.pipeline.ops import DeadLetter

FEED_ICONS = {"ok": "✓", "late": "▲", "silent": "▨"}
SCREEN_ICONS = {"ok": "✓", "reloading": "↻", "stalled": "▲", "silent": "▨", "disconnected": "✖"}


def _n(value: float | None, lang: str, digits: int = 0) -> str:
    return fmt_number(value, lang, digits)


def _share(part: float | None, whole: float, lang: str) -> str:
    """`part` and its percentage of `whole`: "1.234 (0,1%)"."""
    if part is None:
        return _n(None, lang)
    return f"{_n(part, lang)} ({_n(100 * part / whole, lang, 1)}%)"


def stream_panel(stream: Mapping[str, Any], lang: str) -> list[Any]:
    """Each consumer group's backlog against the stream's cap (at the cap, the door refuses new events)."""
    keys = ("ops_group", "ops_consumers", "ops_pending", "ops_lag", "ops_backlog", "ops_behind", "ops_oldest_pending")
    headers = [t(k, lang) for k in keys]
    rows = [
        [
            g["group"],
            _n(g.get("consumers"), lang),
            _n(g.get("pending"), lang),
            _n(g.get("lag"), lang) + ("+" if g.get("lag_capped") else ""),
            _share(g.get("backlog"), stream["cap"], lang),
            _n(g.get("behind_seconds"), lang, 1),
            _n(g.get("oldest_pending_idle_seconds"), lang, 1),
        ]
        for g in stream["groups"]
    ]
    refused = stream["refused_recently"]
    length, cap = stream["length"], stream["cap"]
    pct = f"{_n(100 * length / cap, lang, 1)}%"
    title = tn("ops_stream_title", length, lang, n=_n(length, lang), cap=_n(cap, lang), pct=pct)
    return [
        html.H2(title),
        table(headers, rows, t("ops_none", lang)),
        html.P(tn("ops_refused", refused, lang, n=_n(refused, lang)), className="state-red" if refused else None),
    ]


def heartbeats_panel(beats: Sequence[Mapping[str, Any]], lang: str) -> list[Any]:
    headers = [t(k, lang) for k in ("ops_worker", "ops_last_beat", "ops_age", "ops_state")]
    rows = [
        [
            b["worker"],
            fmt_time_wib(b["at"]),
            _n(b["age_seconds"], lang, 1),
            html.Span(
                t("ops_alive" if b["alive"] else "ops_dead", lang), className="state-ok" if b["alive"] else "state-red"
            ),
        ]
        for b in beats
    ]
    return [html.H2(t("ops_heartbeats_title", lang)), table(headers, rows, t("ops_none", lang))]


def ingest_panel(rates: Mapping[str, Mapping[str, Any]], lang: str) -> list[Any]:
    headers = [t("ops_source", lang), t("ops_per_minute", lang), "1 · 2 · 3 · 4 · 5"]
    rows = [
        [source, _n(rate["per_minute"], lang, 1), " · ".join(_n(n, lang) for n in rate["series"])]
        for source, rate in rates.items()
    ]
    return [html.H2(t("ops_ingest_title", lang)), table(headers, rows, t("ops_none", lang))]


def feed_panel(health: Mapping[str, FeedHealth], reference: Reference, lang: str) -> list[Any]:
    """Every regency's last arrival and state; silent ones first, grey with the words "no data"."""
    order = {"silent": 0, "late": 1, "ok": 2}
    headers = [t(k, lang) for k in ("ops_regency", "ops_state", "last_arrival", "ops_age", "ops_usual_gap")]
    rows = []
    for code, feed in sorted(health.items(), key=lambda item: (order[item[1].state], item[0])):
        last = fmt_time_wib(feed.last_event_at.isoformat()) if feed.last_event_at else t("never", lang)
        state = html.Span(f"{FEED_ICONS[feed.state]} {t(f'feed_{feed.state}', lang)}", className=f"feed-{feed.state}")
        rows.append(
            [
                reference.regencies[code].name,
                state,
                last,
                _n(feed.age_seconds, lang),
                _n(feed.usual_gap_seconds, lang),
            ]
        )
    return [html.H2(t("ops_feed_title", lang)), table(headers, rows, t("ops_none", lang))]


def alerts_table(rows: Sequence[Mapping[str, Any]], lang: str) -> html.Table | html.P:
    """Active alerts, each with its severity, since when, and an acknowledge button or who acknowledged it."""
    body = []
    for row in rows:
        if row["acknowledged"]:
            action: Any = html.Span(row["ack_text"], className="ops-acked")
        else:
            action = html.Button(
                t("ops_ack", lang), id={"type": ids.OPS_ACK_BTN, "alert": row["id"]}, className="ops-btn"
            )
        body.append([severity_badge(row), row["text"], row["since"], action])
    headers = [t(key, lang) for key in ("ops_severity", "ops_alert", "ops_since", "ops_action")]
    return table(headers, body, f"✓ {t('alerts_clear', lang)}")


def dead_letters_panel(entries: Sequence[DeadLetter], total: int, floods: int, lang: str) -> list[Any]:
    """Dead-letter entries, newest first: time, source, reason, the raw input as text, and a button to fix it;
    then how many rejections were kept in bulk (`floods`)."""
    headers = [t(k, lang) for k in ("ops_time", "ops_source", "ops_reason", "ops_raw")] + [""]
    rows = [
        [
            fmt_time_wib(entry.at) if entry.at else "",
            entry.source,
            entry.error,
            html.Pre(entry.raw, className="ops-raw"),
            html.Button(
                t("ops_pick", lang), id={"type": ids.OPS_DEAD_PICK_BTN, "entry": entry.id}, className="ops-btn"
            ),
        ]
        for entry in entries
    ]
    return [
        html.H2(t("ops_dead_title", lang, n=_n(total, lang))),
        table(headers, rows, t("ops_none", lang)),
        html.P(t("ops_floods", lang, n=_n(floods, lang)), className="ops-empty"),
    ]


SCREENS_LISTED = 100  # the worst first; the page stays light whatever the count (the title counts them all)


def screens_panel(screens: Sequence[Screen], now: float, rules: ScreenRules, lang: str) -> list[Any]:
    """Every screen showing a live page, worst first: who holds it, its page, sizes and language, its last push
    applied (the push flow's sequence number, and how long ago), its page's age, its browser's memory and its state."""
    keys = ("ops_screen", "ops_page", "ops_resolution", "ops_language", "ops_last_push", "ops_page_age")
    headers = [t(k, lang) for k in (*keys, "ops_memory", "ops_state")]
    rows = []
    for screen in screens[:SCREENS_LISTED]:
        report = screen.report
        state = screen.state(now, rules)
        pushed = t("never", lang)
        if report.served_at is not None:
            pushed = f"#{report.seq} · {t('ops_ago', lang, age=age_text(now - report.served_at, lang))}"
        memory = f"{_n(report.memory_bytes / 1e6, lang)} MB" if report.memory_bytes is not None else "–"
        rows.append(
            [
                f"{screen.label} ({t(f'screen_kind_{screen.kind}', lang)})",
                report.page,
                f"{report.resolution} ({report.viewport})",
                report.lang.upper(),
                pushed,
                age_text(now - report.loaded_at, lang),
                memory,
                html.Span(
                    f"{SCREEN_ICONS[state]} {t(f'screen_state_{state}', lang)}",
                    className="state-ok" if state == "ok" else "state-red",
                ),
            ]
        )
    title = tn("ops_screens_title", len(screens), lang, n=_n(len(screens), lang))
    more = len(screens) - SCREENS_LISTED
    beyond = [html.P(tn("ops_screens_more", more, lang, n=_n(more, lang)), className="ops-empty")] if more > 0 else []
    return [html.H2(title), table(headers, rows, t("ops_none", lang)), *beyond]


def severity_badge(row: Mapping[str, Any]) -> Any:
    """Icon and word of an alert's severity (an alert row of `dashboard.kit.alerts`) in its colour."""
    return html.Span(
        f"{row['icon']} {row['severity_text']}", className="alert-severity", style={"color": row["colour"]}
    )


def notices_panel(
    counts: Mapping[str, int],
    opds: Sequence[OpdStanding],
    waiting: Sequence[Waiting],
    total: int,
    trouble: Sequence[Trouble],
    reference: Reference,
    lang: str,
) -> list[Any]:
    """The deadline notices: the outbox of the last day by status, each OPD's escalations awaiting
    acknowledgement and passed deadlines, the escalations themselves (the highest tier first, each with its
    button), and the deliveries failing or given up."""
    outbox = t(
        "ops_notices_outbox",
        lang,
        pending=_n(counts.get("pending", 0), lang),
        sent=_n(counts.get("sent", 0), lang),
        failed=_n(counts.get("failed", 0), lang),
    )
    waiting_rows = [
        [
            tracking_number(w.regency, w.request_id),
            w.opd,
            rule_text(w.rule, lang),
            html.Span(tier_text(w.tier, lang), className="state-red" if w.tier == "command_centre" else ""),
            date_time_text(iso_wib(w.raised_at)),
            date_time_text(iso_wib(w.climbs_at)),
            html.Button(
                t("ops_ack", lang), id={"type": ids.OPS_NOTICE_ACK_BTN, "escalation": w.id}, className="ops-btn"
            ),
        ]
        for w in waiting
    ]
    waiting_headers = [
        t(k, lang)
        for k in ("ack_request", "track_opd", "ack_rule", "ack_tier", "ops_since", "ops_notices_climbs", "ops_action")
    ]
    trouble_rows = [
        [
            tracking_number(x.regency, x.request_id),
            f"{x.channel}: {x.recipient}",
            tier_text(x.tier, lang),
            html.Span(t("ops_notices_failed", lang), className="state-red") if x.status == "failed" else "",
            _n(x.attempts, lang),
            x.last_error,
            date_time_text(iso_wib(x.next_attempt_at)),
        ]
        for x in trouble
    ]
    trouble_headers = [
        t(k, lang)
        for k in (
            "ack_request",
            "ops_notices_to",
            "ack_tier",
            "ops_notices_state",
            "ops_notices_attempts",
            "ops_reason",
            "ops_notices_next",
        )
    ]
    opd_rows = [
        [
            reference.regencies[o.regency].name if o.regency in reference.regencies else o.regency,
            o.opd,
            html.Span(_n(o.awaiting, lang), className="state-red" if o.awaiting else ""),
            html.Span(_n(o.breached, lang), className="state-red" if o.breached else ""),
            _n(o.pending, lang),
        ]
        for o in opds
    ]
    opd_keys = ("ops_notices_regency", "track_opd", "ops_notices_awaiting", "ops_notices_breached")
    opd_headers = [t(k, lang) for k in (*opd_keys, "ops_notices_pending")]
    return [
        html.H2(t("ops_notices_title", lang, n=_n(total, lang))),
        html.P(outbox, className="ops-empty"),
        table(opd_headers, opd_rows, f"✓ {t('ops_notices_none_waiting', lang)}"),
        html.H3(t("ops_notices_awaiting", lang)),
        table(waiting_headers, waiting_rows, f"✓ {t('ops_notices_none_waiting', lang)}"),
        html.H3(t("ops_notices_trouble", lang)),
        table(trouble_headers, trouble_rows, t("ops_none", lang)),
    ]
