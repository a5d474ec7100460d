"""Where requests wait: the time each request spent in each stage of its lifecycle (received -> verified ->
dispatched -> in_progress -> resolved), in working days on the Indonesian calendar, summed up per OPD, category or
regency as the median and the 90th percentile; the requests that bounced between OPDs and those reopened after
"resolved" (rework); and the OPDs ranked by how long their requests wait, against the period before.

An analysis of the archive with pandas (never on the live path): the requests received in the period, with every
status change the archive holds for them (`status_changes`), one DataFrame.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.contract.calendar import WIB, days_off
from store.contract.events import STATUS_RANK, STATUSES
from store.history.models import ServiceRequest, StatusChange

STAGES = STATUSES[:4]  # the stages a request waits in; resolved and rejected end it
GROUPS = ("opd", "category", "regency")


def stage_times(session: Session, area: str, first: date, last: date, now: datetime) -> pd.DataFrame:
    """One row per stage a request of `area` (a regency's code, or a province's) received in [first, last] spent:
    `regency`, `request_id`, `category`, `opd` (the one handling it in that stage), `stage`, `start`, `end` (the
    next change; `now` while it still waits), `working_days`, and per request `bounced` and `reopened`."""
    where = ServiceRequest.regency == area if "." in area else ServiceRequest.regency.like(f"{area}.%")
    low = datetime.combine(first, time(0), tzinfo=WIB)
    high = datetime.combine(last + timedelta(days=1), time(0), tzinfo=WIB)
    wanted = (
        select(ServiceRequest.regency, ServiceRequest.request_id, ServiceRequest.category)
        .where(where, ServiceRequest.received_at >= low, ServiceRequest.received_at < high)
        .subquery()
    )
    query = select(
        StatusChange.regency,
        StatusChange.request_id,
        wanted.c.category,
        StatusChange.opd,
        StatusChange.status,
        StatusChange.ts,
        StatusChange.event_id,
    ).join(wanted, (StatusChange.regency == wanted.c.regency) & (StatusChange.request_id == wanted.c.request_id))
    # Plain tuples: pandas builds a frame from them several times faster than from result rows.
    rows = [tuple(row) for row in session.execute(query)]
    changes = pd.DataFrame(rows, columns=["regency", "request_id", "category", "opd", "status", "ts", "event_id"])
    if changes.empty:
        return pd.DataFrame(
            columns=[
                "regency",
                "request_id",
                "category",
                "opd",
                "stage",
                "start",
                "end",
                "working_days",
                "bounced",
                "reopened",
            ]
        )
    changes["ts"] = pd.to_datetime(changes["ts"], utc=True).dt.tz_convert(WIB)
    changes["rank"] = changes["status"].map(STATUS_RANK)
    changes = changes.sort_values(["regency", "request_id", "ts", "rank", "event_id"], ignore_index=True)
    by_request = changes.groupby(["regency", "request_id"], sort=False)
    changes["end"] = by_request["ts"].shift(-1)
    open_now = changes["end"].isna() & ~changes["status"].isin(["resolved", "rejected"])
    changes.loc[open_now, "end"] = pd.Timestamp(now).tz_convert(WIB)
    previous_opd = by_request["opd"].shift()
    moved = previous_opd.notna() & (changes["opd"] != previous_opd)
    after_resolved = (by_request["status"].shift() == "resolved") & (changes["status"] != "resolved")
    request = [changes["regency"], changes["request_id"]]
    changes["bounced"] = moved.groupby(request).transform("any")
    changes["reopened"] = after_resolved.groupby(request).transform("any")
    stages = changes[changes["status"].isin(STAGES) & changes["end"].notna()].rename(
        columns={"status": "stage", "ts": "start"}
    )
    stages = stages.assign(working_days=working_days(stages["start"], stages["end"]))
    return stages[
        ["regency", "request_id", "category", "opd", "stage", "start", "end", "working_days", "bounced", "reopened"]
    ].reset_index(drop=True)


def working_days(starts: pd.Series, ends: pd.Series) -> np.ndarray:
    """Working days from each start to its end (WIB): the share of each working day's 24 hours inside the span,
    weekends and holidays nothing; as `store.contract.calendar.working_days_between`, for whole columns."""
    if starts.empty:
        return np.array([], dtype=float)
    start_day = starts.dt.tz_localize(None).dt.normalize()
    end_day = ends.dt.tz_localize(None).dt.normalize()
    years = range(int(start_day.dt.year.min()), int(end_day.dt.year.max()) + 1)
    holidays = np.array(sorted(days_off(years)), dtype="datetime64[D]")
    first, last = start_day.to_numpy("datetime64[D]"), end_day.to_numpy("datetime64[D]")
    working_first = np.is_busday(first, holidays=holidays)
    working_last = np.is_busday(last, holidays=holidays)
    day = np.timedelta64(1, "D")
    start_share = ((start_day + pd.Timedelta(days=1)) - starts.dt.tz_localize(None)) / pd.Timedelta(days=1)
    end_share = (ends.dt.tz_localize(None) - end_day) / pd.Timedelta(days=1)
    between = np.busday_count(first + day, last, holidays=holidays)
    same = first == last
    span = (ends - starts) / pd.Timedelta(days=1)
    spread = np.where(working_first, start_share, 0) + np.maximum(between, 0) + np.where(working_last, end_share, 0)
    return np.where(same, np.where(working_first, span, 0.0), spread).astype(float)


def waits(stages: pd.DataFrame, group: str) -> pd.DataFrame:
    """Per `group` (an OPD, a category or a regency) and stage: `requests`, the `median` and `p90` working days."""
    if stages.empty:
        return pd.DataFrame(columns=[group, "stage", "requests", "median", "p90"])
    summed = stages.groupby([group, "stage"], observed=True)["working_days"].agg(
        requests="count", median="median", p90=lambda days: days.quantile(0.9)
    )
    summed = summed.reset_index()
    summed["order"] = summed["stage"].map(STATUS_RANK)
    return summed.sort_values([group, "order"]).drop(columns="order").reset_index(drop=True)


def rework(stages: pd.DataFrame) -> dict[str, int]:
    """How many requests there are, how many bounced between OPDs, and how many were reopened after "resolved"."""
    per_request = stages.drop_duplicates(["regency", "request_id"])
    return {
        "requests": len(per_request),
        "bounced": int(per_request["bounced"].sum()),
        "reopened": int(per_request["reopened"].sum()),
    }


# An OPD with fewer requests than this in the period is ranked after the others: one slow request is not a pattern.
MIN_RANKED_REQUESTS = 5


def opd_ranking(now_stages: pd.DataFrame, before_stages: pd.DataFrame) -> pd.DataFrame:
    """The OPDs by the median working days their requests waited in all (the sum of a request's stages with the
    OPD), longest first, with the stage they wait longest in and the same median in the period before. Those
    with fewer than `MIN_RANKED_REQUESTS` requests come last (`small_sample`), ranked the same way among
    themselves."""
    columns = ["opd", "requests", "median_wait", "longest_stage", "median_before", "change", "small_sample"]
    if now_stages.empty:
        return pd.DataFrame(columns=columns)

    def per_opd(stages: pd.DataFrame) -> pd.Series:
        totals = stages.groupby(["opd", "regency", "request_id"])["working_days"].sum()
        return totals.groupby("opd").median()

    current = per_opd(now_stages)
    requests = now_stages.drop_duplicates(["opd", "regency", "request_id"]).groupby("opd").size()
    by_stage = now_stages.groupby(["opd", "stage"])["working_days"].median().reset_index()
    longest = by_stage.sort_values("working_days", ascending=False).drop_duplicates("opd").set_index("opd")["stage"]
    before = per_opd(before_stages) if not before_stages.empty else pd.Series(dtype=float)
    ranking = pd.DataFrame(
        {
            "requests": requests,
            "median_wait": current,
            "longest_stage": longest,
            "median_before": before.reindex(current.index),
        }
    )
    ranking["change"] = ranking["median_wait"] - ranking["median_before"]
    ranking["small_sample"] = ranking["requests"] < MIN_RANKED_REQUESTS
    ranking = ranking.rename_axis("opd").reset_index()
    order = ["small_sample", "median_wait", "opd"]
    return ranking.sort_values(order, ascending=[True, False, True], ignore_index=True)[columns]
