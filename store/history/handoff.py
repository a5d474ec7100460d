"""Where requests wait: the time requests spent in each stage of their lifecycle (received -> verified ->
dispatched -> in_progress -> resolved), in working days on the Indonesian calendar, summed up per OPD, category or
regency as the median and the 90th percentile; the requests that bounced between OPDs and those reopened after
"resolved" (rework); and the OPDs ranked by how long their requests wait, against the period before.

The closed stages come from the histograms the archive keeps as it writes (`store.history.stage_waits`), so a
period costs the same whatever the number of archived events; only the stages still open are worked out here, from
the open requests' rows. Medians and percentiles are read from the histograms' buckets (a quarter of a doubling
wide: within about 9% of the exact value). An analysis with pandas, never on the live path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from math import ceil, floor

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.contract.calendar import WIB, working_day_position
from store.contract.events import STATUS_RANK
from store.history.areas import within
from store.history.models import (
    OPEN,
    DailyOpdWait,
    DailyRework,
    DailyStageWait,
    ServiceRequest,
    WeeklyStageWait,
    bucket_minutes,
)
from store.history.periods import whole_weeks
from store.history.stage_waits import MINUTES_PER_DAY, days_buckets

GROUPS = ("opd", "category", "regency")


@dataclass(frozen=True)
class PeriodWaits:
    """The requests of an area received in a period: each stage's histogram by the grouping asked for and by OPD
    (`stages`: those columns, `stage`, `bucket`, `requests`; the closed stages as archived, the open ones as of
    now), each OPD's histogram of per-request totals (`opd`, `bucket`, `requests`), and the rework counts."""

    stages: pd.DataFrame
    opd_totals: pd.DataFrame
    rework: dict[str, int]


def period_waits(
    session: Session, area: str, first: date, last: date, now: datetime, group: str = "opd"
) -> PeriodWaits:
    """The waits of the requests of `area` (a regency's code, or a province's) received in [first, last], summed
    in SQL to `group` (one of `GROUPS`) and the OPD."""
    key = list(dict.fromkeys([group, "opd", "stage", "bucket"]))
    stages = _closed_stages(session, area, first, last, key)
    counted = select(func.sum(DailyRework.requests), func.sum(DailyRework.bounced), func.sum(DailyRework.reopened))
    counted = counted.where(DailyRework.area == area, DailyRework.day.between(first, last))
    requests, bounced, reopened = session.execute(counted).one()
    open_stages, open_totals = _open_stages(session, area, first, last, now, key)
    return PeriodWaits(
        _summed(stages, open_stages, key),
        _summed(_finished_totals(session, area, first, last), open_totals, ["opd", "bucket"]),
        {"requests": int(requests or 0), "bounced": int(bounced or 0), "reopened": int(reopened or 0)},
    )


def period_opd_totals(session: Session, area: str, first: date, last: date, now: datetime) -> pd.DataFrame:
    """`PeriodWaits.opd_totals` alone: what the OPD ranking needs of the period before."""
    _, open_totals = _open_stages(session, area, first, last, now, ["opd", "stage", "bucket"])
    return _summed(_finished_totals(session, area, first, last), open_totals, ["opd", "bucket"])


def _finished_totals(session: Session, area: str, first: date, last: date) -> pd.DataFrame:
    finished = select(DailyOpdWait.opd, DailyOpdWait.bucket, func.sum(DailyOpdWait.requests)).where(
        DailyOpdWait.area == area, DailyOpdWait.day.between(first, last)
    )
    finished = finished.group_by(DailyOpdWait.opd, DailyOpdWait.bucket)
    return pd.DataFrame([tuple(row) for row in session.execute(finished)], columns=["opd", "bucket", "requests"])


def _closed_stages(session: Session, area: str, first: date, last: date, key: list[str]) -> pd.DataFrame:
    """The closed stages of the requests of `area` received in [first, last], summed in SQL to `key`: the whole
    weeks of the period from their weekly rows, the days outside them from the daily ones. A province reads its
    own rows, save when grouped by regency (then its regencies' rows, each one's area the regency)."""
    weeks, edges = whole_weeks(first, last)
    parts = [(DailyStageWait, DailyStageWait.day, edge) for edge in edges]
    parts += [(WeeklyStageWait, WeeklyStageWait.week, weeks)] if weeks else []
    rows = []
    for model, when, (low, high) in parts:
        if key[0] == "regency":
            columns = [model.area.label("regency"), *(getattr(model, name) for name in key[1:])]
            where = within(model.area, area)
        else:
            columns = [getattr(model, name) for name in key]
            where = model.area == area
        query = select(*columns, func.sum(model.requests)).where(where, when.between(low, high)).group_by(*columns)
        rows += [tuple(row) for row in session.execute(query)]
    stages = pd.DataFrame(rows, columns=[*key, "requests"])
    return stages.groupby(key, as_index=False)["requests"].sum() if len(parts) > 1 else stages


def _summed(closed: pd.DataFrame, still_open: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    if still_open.empty:
        return closed
    both = still_open if closed.empty else pd.concat([closed, still_open], ignore_index=True)
    return both.groupby(key, as_index=False, observed=True)["requests"].sum()


def _open_stages(
    session: Session, area: str, first: date, last: date, now: datetime, key: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stage each open request of the period still waits in, until `now` (`key` columns, `requests`), and each
    one's time with its OPD so far (`opd`, `bucket`, `requests`): a stage's working days are the difference of two
    positions on the line of working days (`working_day_position`), for the whole column at once."""
    low = datetime.combine(first, time(0), tzinfo=WIB)
    high = datetime.combine(last + timedelta(days=1), time(0), tzinfo=WIB)
    columns = {"regency": ServiceRequest.regency, "opd": ServiceRequest.opd, "category": ServiceRequest.category}
    named = [name for name in key if name in columns]
    query = select(
        *(columns[name] for name in named),
        ServiceRequest.status,
        ServiceRequest.stage_started,
        ServiceRequest.opd_days_before,
    ).where(
        within(ServiceRequest.regency, area),
        ServiceRequest.received_at >= low,
        ServiceRequest.received_at < high,
        OPEN,
    )
    # Strings and floats as the driver gives them, past SQLAlchemy's rows: tens of thousands for a province.
    rows = session.connection().execute(query).cursor.fetchall()
    found = pd.DataFrame(rows, columns=[*named, "stage", "started", "before"])
    if found.empty:
        return pd.DataFrame(columns=[*key, "requests"]), pd.DataFrame(columns=["opd", "bucket", "requests"])
    position = working_day_position(now)
    days = np.maximum(position - found["started"].fillna(position).to_numpy(float), 0.0)
    found["bucket"] = days_buckets(days)
    found["requests"] = 1
    totals = pd.DataFrame(
        {"opd": found["opd"], "bucket": days_buckets(days + found["before"].fillna(0.0).to_numpy(float)), "requests": 1}
    )
    return (
        found.groupby(key, as_index=False)["requests"].sum(),
        totals.groupby(["opd", "bucket"], as_index=False)["requests"].sum(),
    )


def quantiles(buckets: Sequence[int], counts: Sequence[int], shares: Sequence[float]) -> list[float]:
    """Working days at each share (0..1) of a histogram, between ranks as pandas' linear `quantile` does, each
    rank's value its bucket's middle (`bucket_minutes`)."""
    order = sorted(zip(buckets, counts, strict=True))
    total = sum(n for _, n in order)
    ends = np.cumsum([n for _, n in order])

    def at(rank: int) -> float:
        return bucket_minutes(order[int(np.searchsorted(ends, rank, side="right"))][0]) / MINUTES_PER_DAY

    found = []
    for share in shares:
        position = share * (total - 1)
        low, high = at(floor(position)), at(ceil(position))
        found.append(low + (high - low) * (position - floor(position)))
    return found


def _summary(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per `by`: `requests`, the `median` and `p90` working days of a histogram frame."""
    rows = []
    for key, part in frame.groupby(by, observed=True, sort=False):
        median, p90 = quantiles(part["bucket"].tolist(), part["requests"].tolist(), (0.5, 0.9))
        rows.append((*key, int(part["requests"].sum()), median, p90))
    return pd.DataFrame(rows, columns=[*by, "requests", "median", "p90"])


def waits(period: PeriodWaits, group: str) -> pd.DataFrame:
    """Per `group` (an OPD, a category or a regency) and stage: `requests`, the `median` and `p90` working days."""
    if period.stages.empty:
        return pd.DataFrame(columns=[group, "stage", "requests", "median", "p90"])
    summed = period.stages.groupby([group, "stage", "bucket"], as_index=False)["requests"].sum()
    summed = _summary(summed, [group, "stage"])
    summed["order"] = summed["stage"].map(STATUS_RANK)
    return summed.sort_values([group, "order"]).drop(columns="order").reset_index(drop=True)


# An OPD with fewer requests than this in the period is ranked after the others: one slow request is not a pattern.
MIN_RANKED_REQUESTS = 5


def opd_ranking(now: PeriodWaits, before: pd.DataFrame) -> pd.DataFrame:
    """The OPDs by the median working days their requests waited in all (the sum of a request's stages with the
    OPD), longest first, with the stage they wait longest in and the same median in the period before. Those
    with fewer than `MIN_RANKED_REQUESTS` requests come last (`small_sample`), ranked the same way among
    themselves."""
    columns = ["opd", "requests", "median_wait", "longest_stage", "median_before", "change", "small_sample"]
    if now.opd_totals.empty:
        return pd.DataFrame(columns=columns)
    current = _summary(now.opd_totals, ["opd"]).set_index("opd")
    earlier = _summary(before, ["opd"]).set_index("opd") if not before.empty else None
    by_stage = _summary(
        now.stages.groupby(["opd", "stage", "bucket"], as_index=False)["requests"].sum(), ["opd", "stage"]
    )
    longest = by_stage.sort_values("median", ascending=False, kind="stable").drop_duplicates("opd").set_index("opd")
    ranking = pd.DataFrame(
        {
            "requests": current["requests"],
            "median_wait": current["median"],
            "longest_stage": longest["stage"].reindex(current.index),
            "median_before": earlier["median"].reindex(current.index) if earlier is not None else np.nan,
        }
    )
    ranking["change"] = ranking["median_wait"] - ranking["median_before"]
    ranking["small_sample"] = ranking["requests"] < MIN_RANKED_REQUESTS
    ranking = ranking.rename_axis("opd").reset_index()
    order = ["small_sample", "median_wait", "opd"]
    return ranking.sort_values(order, ascending=[True, False, True], ignore_index=True)[columns]
