"""Figures computed directly from a list of events, the slow obvious way, to check the live rollup against."""

from __future__ import annotations

import statistics
from datetime import datetime
from typing import Any

from store.contract.calendar import WIB, deadline
from store.contract.events import STATUSES
from store.contract.reference import Reference

RANK = {status: rank for rank, status in enumerate(STATUSES)}


def expected_figures(events: list[dict[str, Any]], now: datetime, reference: Reference) -> dict[str, dict[str, Any]]:
    """Per-regency figures of the snapshot contract for the given events (duplicates by event_id ignored)."""
    unique = {e["event_id"]: e for e in events}.values()
    today = now.astimezone(WIB).date()
    requests: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for event in unique:
        if event["type"] == "service_request":  # a request is its regency's
            requests.setdefault((event["regency_code"], event["request_id"]), []).append(event)
    figures: dict[str, dict[str, Any]] = {
        code: {
            "received_today": 0,
            "open": 0,
            "resolved_today": 0,
            "within": 0,
            "overdue": 0,
            "minutes": [],
            "by_category": {},
            "by_channel": {},
        }
        for code in reference.regencies
    }
    for history in requests.values():
        first = min(history, key=lambda e: (_ts(e), e["event_id"]))
        latest = max(history, key=lambda e: (_ts(e), RANK[e["status"]], e["event_id"]))
        explicit = [e for e in history if e.get("sla_due")]
        if explicit:
            due = datetime.fromisoformat(max(explicit, key=lambda e: (_ts(e), e["event_id"]))["sla_due"])
        else:
            received_day = datetime.combine(_ts(first).astimezone(WIB).date(), datetime.min.time(), WIB)
            due = deadline(received_day, reference.categories[first["category"]].deadline_working_days)
        f = figures[latest["regency_code"]]
        if _ts(first).astimezone(WIB).date() == today:
            f["received_today"] += 1
            f["by_category"][latest["category"]] = f["by_category"].get(latest["category"], 0) + 1
            f["by_channel"][latest["channel"]] = f["by_channel"].get(latest["channel"], 0) + 1
        if latest["status"] == "resolved":
            if _ts(latest).astimezone(WIB).date() == today:
                f["resolved_today"] += 1
                f["within"] += _ts(latest) <= due
                f["minutes"].append((_ts(latest) - _ts(first)).total_seconds() / 60)
        elif latest["status"] != "rejected":
            f["open"] += 1
            f["overdue"] += due < now
    for f in figures.values():
        minutes, within = f.pop("minutes"), f.pop("within")
        # The snapshot script returns the median through Lua's cjson, with 14 significant digits (which also drops
        # the last bits of binary noise): a median exactly halfway, like 2913.55, must be rounded from that too.
        f["median_resolve_minutes"] = round(float(f"{statistics.median(minutes):.14g}"), 1) if minutes else None
        f["within_deadline_pct"] = round(100 * within / f["resolved_today"], 1) if f["resolved_today"] else None
    return figures


def comparable(snapshot_regency: dict[str, Any]) -> dict[str, Any]:
    """The part of a snapshot's regency figures that the oracle computes."""
    keys = (
        "received_today",
        "open",
        "resolved_today",
        "within_deadline_pct",
        "overdue",
        "median_resolve_minutes",
        "by_category",
        "by_channel",
    )
    return {k: snapshot_regency[k] for k in keys}


def _ts(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(event["ts"])
