"""The regency page's live part as plain data: today's figures and the KPI standing, in the room's language.
The live worker renders them each tick (`dashboard.screen_model`), so nothing here imports Dash; the page draws
them (`assets/regency.js`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dashboard.i18n import name_in, t
from dashboard.i18n.formats import duration_text, fmt_number, pct_text
from store.contract.reference import Reference

LIVE_KEYS = ("received_today", "resolved_today", "within_deadline_pct", "median_resolve_minutes", "open", "overdue")


def live_figures(figures: Mapping[str, Any], lang: str) -> list[dict[str, Any]]:
    """Today's live figures of the regency (`LiveState.regency_snapshot`) as tiles (`screen_contract.LiveTile`)."""
    texts = {
        "received_today": fmt_number(figures["received_today"], lang),
        "resolved_today": fmt_number(figures["resolved_today"], lang),
        "within_deadline_pct": pct_text(figures["within_deadline_pct"], lang),
        "median_resolve_minutes": duration_text(figures["median_resolve_minutes"], lang),
        "open": fmt_number(figures["open"], lang),
        "overdue": fmt_number(figures["overdue"], lang),
    }
    return [
        {"key": key, "label": t(key, lang), "text": texts[key], "late": key == "overdue" and bool(figures["overdue"])}
        for key in LIVE_KEYS
    ]


def kpi_standing(snapshot: Mapping[str, Any], code: str, reference: Reference) -> list[dict[str, Any]]:
    """Each KPI of the regency against its thresholds and the province median (`snapshot["totals"]`), with its
    rank among the regencies reporting it (1 is the best: the highest value when more is good)."""
    rows = []
    for metric, kpi in reference.kpis.items():
        values = {c: f["kpis"][metric]["value"] for c, f in snapshot["regencies"].items() if metric in f["kpis"]}
        own = values.get(code)
        better = [v for v in values.values() if own is not None and (v > own if kpi.good == "up" else v < own)]
        median = snapshot["totals"]["kpis"].get(metric)
        rows.append(
            {
                "metric": metric,
                "value": own,
                "state": kpi.state(own) if own is not None else None,
                "amber": kpi.amber,
                "red": kpi.red,
                "province_median": median["value"] if median else None,
                "rank": len(better) + 1 if own is not None else None,
                "ranked": len(values),
            }
        )
    return rows


def kpi_standing_rows(rows: Sequence[Mapping[str, Any]], reference: Reference, lang: str) -> list[dict[str, Any]]:
    """The KPI standing's rows as texts (`screen_contract.KpiStanding`); the state is a word, never colour alone."""
    shown = []
    for r in rows:
        kpi = reference.kpis[r["metric"]]
        shown.append(
            {
                "name": f"{name_in(kpi, lang)} ({kpi.unit_in(lang)})",
                "value": fmt_number(r["value"], lang, 2),
                "state": r["state"],
                "state_text": t(f"state_{r['state']}", lang) if r["state"] else t("no_data", lang),
                "thresholds": f"{fmt_number(r['amber'], lang, 2)} / {fmt_number(r['red'], lang, 2)}",
                "median": fmt_number(r["province_median"], lang, 2),
                "rank": t("kpi_rank_of", lang, rank=r["rank"], total=r["ranked"]) if r["rank"] else "–",
            }
        )
    return shown
