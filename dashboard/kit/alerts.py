"""Alerts as every page shows them (severity, sentence, since, acknowledgement): pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from dashboard.i18n import name_in, t
from dashboard.i18n.formats import fmt_number, fmt_time_wib
from dashboard.kit.kept import KeptBySource
from dashboard.kit.severity import SEVERITY_COLOURS, SEVERITY_ICONS
from store.contract.reference import Reference
from store.live.alerts import Alert


def alert_text(alert: Alert, reference: Reference, lang: str) -> str:
    """The alert's sentence in `lang`, from its message key and parameters (numbers in the locale's format)."""
    regency = reference.regencies.get(alert.regency)
    params: dict[str, Any] = {"name": regency.short_name if regency else alert.regency}
    for key, value in alert.params.items():
        params[key] = fmt_number(value, lang, 1) if isinstance(value, int | float) else value
    if alert.kind == "kpi":
        kpi = reference.kpis.get(alert.params.get("metric", ""))
        params["metric"] = name_in(kpi, lang) if kpi else params.get("metric")
        unit = kpi.unit_in(lang) if kpi else params.get("unit") or ""
        params["unit"] = unit if unit in ("", "%") else f" {unit}"  # 54,1% (batas 55%); 15.550 Rp/kg
    if alert.kind == "screen":
        params["reason"] = t(f"screen_state_{alert.params.get('reason')}", lang)
    if alert.kind == "feed" and alert.params.get("last_event_at"):
        params["time"] = fmt_time_wib(alert.params["last_event_at"])
    return t(alert.message_key, lang, **params)


def alert_rows(alerts: Sequence[Alert], reference: Reference, lang: str) -> list[dict[str, Any]]:
    """What a screen shows of each alert: severity (colour, icon and word), sentence, since, acknowledgement."""
    return [_alert_row(alert, reference, lang) for alert in alerts]


# Each alert's row as last written, by province, language and alert id: an alert object stands unchanged from one
# evaluation of alerts to the next (every few seconds), while screens are pushed several times a second.
_rows_kept: KeptBySource[dict[str, Any]] = KeptBySource()


def _alert_row(alert: Alert, reference: Reference, lang: str) -> dict[str, Any]:
    return _rows_kept.get((reference.province, lang, alert.id), alert, lambda: _written_row(alert, reference, lang))


def _written_row(alert: Alert, reference: Reference, lang: str) -> dict[str, Any]:
    acked = alert.acknowledged_by is not None
    return {
        "id": alert.id,
        "regency": alert.regency,
        "severity": alert.severity,
        "colour": SEVERITY_COLOURS[alert.severity],
        "icon": SEVERITY_ICONS[alert.severity],
        "severity_text": t(f"severity_{alert.severity}", lang),
        "text": alert_text(alert, reference, lang),
        "since": fmt_time_wib(alert.since.isoformat()) if alert.since else "",
        "acknowledged": acked,
        "ack_text": _ack_text(alert, lang) if acked else "",
    }


def _ack_text(alert: Alert, lang: str) -> str:
    at = alert.acknowledged_at
    time = fmt_time_wib(at.isoformat()) if isinstance(at, datetime) else ""
    return t("acknowledged_by", lang, by=alert.acknowledged_by, time=time)
