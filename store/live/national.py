"""The nation as a province of provinces: the national wall's reference data and cycle, built from the summaries of
their cycles that the provinces' live workers publish (`Cycle.summary`: totals, trend and alerts, never every
regency's figures), so the wall's whole machinery (view-models, pushes, map, ranking, tour, alerts) serves the nation
unchanged.

Each province stands where a regency stands on a province wall: its figures are its totals, its population the
sum of its regencies', its feed state says whether its live worker and its regencies are reporting. A province
that has published no cycle is "no data" (grey, "tanpa data"), never zero.
"""

from __future__ import annotations

import heapq
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from itertools import islice
from typing import Any

import orjson

from store.contract.calendar import WIB
from store.contract.notice_standing import OPDS_KEPT, NoticeStanding, OpdStanding
from store.contract.provinces import NATIONAL, province_names
from store.contract.reference import Reference, Regency, load_reference, province_labels
from store.live.alerts import Alert, as_shown, with_acks
from store.live.cycle import Cycle
from store.live.feed_health import NO_DATA, FeedRules
from store.live.state import added_up

# A province whose live worker has not published for this long shows as late: its figures stand still.
WORKER_LATE = timedelta(minutes=1)
LATE_SHARE = 0.5  # and when half its regencies or more are silent
ALERTS_SHOWN = 300  # the most severe across provinces; the wall shows a few, the count says how many more


@dataclass(frozen=True)
class ProvinceSummary:
    """What the nation reads of a province's last cycle (`Cycle.summary`), its alerts named as the national wall
    writes them ("Regency, Province") and in the order every screen shows them."""

    as_of: str
    totals: dict[str, Any]
    regencies: int
    hourly: dict[str, list]
    alerts: list[Alert]
    notices: NoticeStanding | None = None

    @classmethod
    def from_fields(cls, fields: Mapping[str, str], alerts: list[Alert]) -> ProvinceSummary:
        """From the summary's hash (`Cycle.summary`), the alerts already decoded."""
        data = orjson.loads(fields["figures"])
        notices = NoticeStanding.from_json(fields["notices"]) if fields.get("notices") else None
        return cls(data["as_of"], data["totals"], data["regencies"], data["hourly"], alerts, notices)


def national_alerts(code: str, stored: str | bytes, raw_acks: dict) -> list[Alert]:
    """A province's alerts as published (`Cycle.summary`'s "alerts") with its acknowledgements, each under the
    province (its id prefixed with the province's code, named "Regency, Province"), in the order screens show them."""
    regencies = load_reference(code).regencies
    province = _short_name(province_names()[code])
    out = []
    for alert in with_acks([Alert.from_dict(one) for one in orjson.loads(stored)], raw_acks):
        regency = regencies.get(alert.regency)
        where = f"{regency.short_name}, {province}" if regency else province
        out.append(replace(alert, id=f"{code}/{alert.id}", regency=code, params={**alert.params, "name": where}))
    return out


@cache
def national_reference() -> Reference:
    """The nation's reference data: one "regency" per province, all 38 (code, name, population and area summed,
    centre weighted by population), with the categories, channels and KPIs every province shares. A province
    that this deployment does not serve stays on the national wall as one without data."""
    names, labels = province_names(), province_labels()
    regions = {}
    for code in sorted(names):
        regencies = load_reference(code).regencies.values()
        people = sum(r.population for r in regencies) or 1
        regions[code] = Regency(
            code=code,
            name=names[code],
            type="provinsi",
            seat="",
            lat=sum(r.lat * r.population for r in regencies) / people,
            lon=sum(r.lon * r.population for r in regencies) / people,
            population=sum(r.population for r in regencies),
            area_km2=sum(r.area_km2 for r in regencies),
            short_name=_short_name(names[code]),
            label=labels[code],
        )
    shared = load_reference(min(names))
    return Reference(NATIONAL, "Indonesia", regions, shared.categories, shared.channels, shared.kpis)


def _short_name(name: str) -> str:
    """A province's name as the national wall writes it: "DKI Jakarta", "DI Yogyakarta", "Kep. Riau"."""
    for long, short in (("Daerah Khusus Ibukota ", "DKI "), ("Daerah Istimewa ", "DI "), ("Kepulauan ", "Kep. ")):
        name = name.replace(long, short)
    return name


def national_cycle(
    summaries: Mapping[str, ProvinceSummary | None], reference: Reference, now: datetime, rules: FeedRules = FeedRules()
) -> Cycle:
    """The national cycle from each province's last published summary (None: none yet)."""
    regions = {}
    for code in reference.regencies:
        summary = summaries.get(code)
        regions[code] = _no_data(reference) if summary is None else _province_figures(summary, now, rules)
    reported = [figures for code, figures in regions.items() if summaries.get(code) is not None]
    totals = _totals(reported, reference)
    totals["silent_regencies"] = sorted(code for code, figures in regions.items() if figures["no_data"])
    snapshot = {
        "province": NATIONAL,
        "as_of": now.astimezone(WIB).isoformat(timespec="seconds"),
        "totals": totals,
        "regencies": regions,
    }
    published = [summary for summary in summaries.values() if summary is not None]
    # The most severe across provinces, as every screen orders them: each province's list is in that order already.
    alerts = list(islice(heapq.merge(*(summary.alerts for summary in published), key=as_shown), ALERTS_SHOWN))
    notices = _notices({code: s.notices for code, s in summaries.items() if s and s.notices}, reference)
    return Cycle(snapshot, alerts, _hourly(summary.hourly for summary in published), notices=notices)


def _notices(counted: Mapping[str, NoticeStanding], reference: Reference) -> NoticeStanding | None:
    """The provinces' deadline notices added up, each province a row as an OPD is on a province's wall (the most
    awaiting first). As old as the oldest count: a province whose count went stale makes the nation's read so."""
    if not counted:
        return None
    standings = counted.values()
    rows = sorted(
        (
            OpdStanding(code, reference.regencies[code].short_name, one.awaiting, one.breached, one.pending)
            for code, one in counted.items()
        ),
        key=lambda row: (-row.awaiting, -row.breached, row.regency),
    )
    return NoticeStanding(
        as_of=min(one.as_of for one in standings),
        fresh_until=min(one.fresh_until for one in standings),
        awaiting=sum(one.awaiting for one in standings),
        at_top=sum(one.at_top for one in standings),
        breached=sum(one.breached for one in standings),
        pending=sum(one.pending for one in standings),
        failed=sum(one.failed for one in standings),
        opds=tuple(rows[:OPDS_KEPT]),
        opds_waiting=sum(1 for row in rows if row.awaiting),
    )


def _province_figures(summary: ProvinceSummary, now: datetime, rules: FeedRules) -> dict[str, Any]:
    totals = {key: value for key, value in summary.totals.items() if key != "silent_regencies"}
    age = (now - datetime.fromisoformat(summary.as_of)).total_seconds()
    silent_share = len(summary.totals.get("silent_regencies", [])) / (summary.regencies or 1)
    if age >= rules.silent_after.total_seconds() or silent_share >= 1:
        state = "silent"
    elif age >= WORKER_LATE.total_seconds() or silent_share >= LATE_SHARE:
        state = "late"
    else:
        state = "ok"
    feed = {"state": state, "last_event_at": totals.get("last_event_at"), "age_seconds": round(age, 1)}
    figures = {**totals, "feed": {**feed, "usual_gap_seconds": None}, "no_data": state == "silent"}
    if state == "silent":
        figures["kpis"] = {metric: {**kpi, "state": NO_DATA} for metric, kpi in totals["kpis"].items()}
    return figures


def _no_data(reference: Reference) -> dict[str, Any]:
    """A province that never reported: no figures at all (the wall writes "tanpa data"), never zeros."""
    return {
        "received_today": 0,
        "open": 0,
        "resolved_today": 0,
        "within_deadline_pct": None,
        "overdue": 0,
        "median_resolve_minutes": None,
        "by_category": {},
        "by_channel": {},
        "kpis": {},
        "events_per_minute": 0.0,
        "last_event_at": None,
        "feed": {"state": "silent", "last_event_at": None, "age_seconds": None, "usual_gap_seconds": None},
        "no_data": True,
    }


def _totals(figures: list[dict[str, Any]], reference: Reference) -> dict[str, Any]:
    """National totals over the provinces that reported. The median time to resolve is the median of the
    provinces' medians (each province keeps only its own distribution)."""
    within = sum(
        round(f["within_deadline_pct"] * f["resolved_today"] / 100) for f in figures if f["within_deadline_pct"]
    )
    medians = [f["median_resolve_minutes"] for f in figures if f["median_resolve_minutes"] is not None]
    return added_up(figures, within, round(statistics.median(medians), 1) if medians else None, reference)


def _hourly(series: Iterable[dict[str, list]]) -> dict[str, list]:
    """The provinces' requests per hour added up, hour by hour (every cycle covers the same 24 hours, save one
    published in an earlier hour, whose hours are matched by their start)."""
    received: dict[str, int] = {}
    resolved: dict[str, int] = {}
    for one in series:
        for hour, got, done in zip(one["hour"], one["received"], one["resolved"], strict=True):
            received[hour] = received.get(hour, 0) + got
            resolved[hour] = resolved.get(hour, 0) + done
    hours = sorted(received)[-24:]
    return {"hour": hours, "received": [received[h] for h in hours], "resolved": [resolved[h] for h in hours]}
