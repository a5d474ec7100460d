"""History queries for the regency page and the briefing: plain functions from a Session to plain data.

Periods are inclusive ranges of WIB days. Figures over time come from the daily rollup tables (a few
rows per regency and day, whatever the event volume); medians read from them are approximate (within
about 9%, see `store.history.models.duration_bucket`). The OPD table and the deadline watch read the request
rows through the regency indexes; the OPD table's medians are exact (see `_exact_medians`).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from store.contract.calendar import WIB, iso_wib
from store.history.models import (
    OPEN,
    RESOLVED,
    DailyCategory,
    DailyDuration,
    DailyOpd,
    DailyOpdDuration,
    DailyRollup,
    KpiSample,
    ServiceRequest,
    bucket_bounds,
    bucket_minutes,
    duration_bucket,
)
from store.history.periods import days


def _moments(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC moments [start 00:00 WIB, the day after end 00:00 WIB)."""
    return (
        datetime.combine(start, time(), WIB).astimezone(UTC),
        datetime.combine(end + timedelta(days=1), time(), WIB).astimezone(UTC),
    )


def _pct(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def histogram_median(counts: Mapping[int, int]) -> float | None:
    """Median time to resolve (minutes) from bucket counts; None when empty."""
    total = sum(counts.values())
    if total <= 0:
        return None
    lower, upper = (total - 1) // 2, total // 2  # 0-based ranks of the middle one or two
    seen, found = 0, {}
    for bucket in sorted(counts):
        seen += counts[bucket]
        for rank in (lower, upper):
            if rank < seen and rank not in found:
                found[rank] = bucket_minutes(bucket)
        if upper in found:
            break
    return round((found[lower] + found[upper]) / 2, 1)


def history_starts(session: Session, codes: Iterable[str]) -> dict[str, date]:
    """The first day the archive holds of each regency (or province) of `codes` that has any; a comparison with a
    period before it would compare with nothing."""
    area = DailyRollup.regency  # a regency's rows, or its province's in all
    rows = session.execute(select(area, func.min(DailyRollup.day)).where(area.in_(list(codes))).group_by(area)).all()
    return {code: day for code, day in rows}


def period_figures(session: Session, codes: Iterable[str], start: date, end: date) -> dict[str, dict[str, Any]]:
    """Per regency (or per province, for province codes) over the period: `received`, `resolved`,
    `within_deadline_pct`, `median_resolve_minutes` (approximate) and `mean_resolve_minutes`; those with no data
    get zeros and nulls."""
    codes = list(codes)
    area = DailyRollup.regency  # a regency's rows, or its province's in all (`workers.request_rows.Deltas`)
    totals = session.execute(
        select(
            area,
            func.sum(DailyRollup.received),
            func.sum(DailyRollup.resolved),
            func.sum(DailyRollup.within_deadline),
            func.sum(DailyRollup.resolve_minutes_sum),
        )
        .where(area.in_(codes), DailyRollup.day.between(start, end))
        .group_by(area)
    ).all()
    histograms: dict[str, dict[int, int]] = defaultdict(dict)
    area = DailyDuration.regency
    for code, bucket, n in session.execute(
        select(area, DailyDuration.bucket, func.sum(DailyDuration.resolved))
        .where(area.in_(codes), DailyDuration.day.between(start, end))
        .group_by(area, DailyDuration.bucket)
    ):
        histograms[code][bucket] = int(n)
    out = {
        code: {
            "received": 0,
            "resolved": 0,
            "within_deadline_pct": None,
            "median_resolve_minutes": None,
            "mean_resolve_minutes": None,
        }
        for code in codes
    }
    for code, received, resolved, within, minutes in totals:
        out[code] = {
            "received": int(received or 0),
            "resolved": int(resolved or 0),
            "within_deadline_pct": _pct(within or 0, resolved or 0),
            "median_resolve_minutes": histogram_median(histograms[code]),
            "mean_resolve_minutes": _rounded(minutes / resolved) if resolved else None,
        }
    return out


def summary(session: Session, code: str, start: date, end: date, now: datetime) -> dict[str, Any]:
    """A regency's headline figures: `period_figures` over the period, plus `open` and `overdue` at `now`."""
    figures = period_figures(session, [code], start, end)[code]
    open_count, overdue = session.execute(
        select(func.count(), func.count().filter(ServiceRequest.due_at < now)).where(
            ServiceRequest.regency == code, OPEN
        )
    ).one()
    return {**figures, "open": open_count, "overdue": overdue}


def daily_series(session: Session, code: str, start: date, end: date) -> dict[str, list]:
    """Per WIB day of the period: `received`, `resolved`, `within_deadline_pct` (of that day's resolutions)
    and approximate `median_resolve_minutes`; days without data are zeros and nulls."""
    rows = {
        r.day: r
        for r in session.scalars(
            select(DailyRollup).where(DailyRollup.regency == code, DailyRollup.day.between(start, end))
        )
    }
    histograms: dict[date, dict[int, int]] = defaultdict(dict)
    for day, bucket, n in session.execute(
        select(DailyDuration.day, DailyDuration.bucket, DailyDuration.resolved).where(
            DailyDuration.regency == code, DailyDuration.day.between(start, end)
        )
    ):
        histograms[day][bucket] = n
    span = days(start, end)
    return {
        "day": [d.isoformat() for d in span],
        "received": [rows[d].received if d in rows else 0 for d in span],
        "resolved": [rows[d].resolved if d in rows else 0 for d in span],
        "within_deadline_pct": [_pct(rows[d].within_deadline, rows[d].resolved) if d in rows else None for d in span],
        "median_resolve_minutes": [histogram_median(histograms.get(d, {})) for d in span],
    }


def categories(session: Session, code: str, start: date, end: date) -> list[dict[str, Any]]:
    """Requests received over the period per category, most first: `[{"category", "received"}]`."""
    rows = session.execute(
        select(DailyCategory.category, func.sum(DailyCategory.received).label("n"))
        .where(DailyCategory.regency == code, DailyCategory.day.between(start, end))
        .group_by(DailyCategory.category)
    ).all()
    return [
        {"category": category, "received": int(n)}
        for category, n in sorted(rows, key=lambda r: (-r.n, r.category))
        if n
    ]


def opd_table(session: Session, code: str, start: date, end: date, now: datetime) -> list[dict[str, Any]]:
    """One row per OPD (agency) of the regency, most received first: requests `received` and `resolved`
    over the period, `within_deadline_pct` and exact `median_resolve_minutes` of those resolved, and, at
    `now`, `open`, `overdue` and `oldest_open_received_at` (ISO, WIB)."""
    table: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"received": 0, "resolved": 0, "within": 0, "open": 0, "overdue": 0, "oldest": None}
    )
    counts = session.execute(
        select(
            DailyOpd.opd, func.sum(DailyOpd.received), func.sum(DailyOpd.resolved), func.sum(DailyOpd.within_deadline)
        )
        .where(DailyOpd.regency == code, DailyOpd.day.between(start, end))
        .group_by(DailyOpd.opd)
    )
    for opd, received, resolved, within in counts:
        if received or resolved:
            table[opd].update(received=int(received), resolved=int(resolved), within=int(within))
    medians = _exact_medians(session, code, start, end)
    open_now = session.execute(
        select(
            ServiceRequest.opd,
            func.count(),
            func.count().filter(ServiceRequest.due_at < now),
            func.min(ServiceRequest.received_at),
        )
        .where(ServiceRequest.regency == code, OPEN)
        .group_by(ServiceRequest.opd)
    )
    for opd, n, overdue, oldest in open_now:
        table[opd].update(open=n, overdue=overdue, oldest=oldest)
    return [
        {
            "opd": opd,
            "received": row["received"],
            "resolved": row["resolved"],
            "within_deadline_pct": _pct(row["within"], row["resolved"]),
            "median_resolve_minutes": _rounded(medians.get(opd)),
            "open": row["open"],
            "overdue": row["overdue"],
            "oldest_open_received_at": iso_wib(row["oldest"]),
        }
        for opd, row in sorted(table.items(), key=lambda item: (-item[1]["received"], -item[1]["open"], item[0]))
    ]


def _exact_medians(session: Session, code: str, start: date, end: date) -> dict[str, float]:
    """Exact median time to resolve per OPD over the period: the daily histograms say which bucket holds
    the middle one or two, and only that bucket's request rows are read (a few percent of the period's)."""
    histograms: dict[str, dict[int, int]] = defaultdict(dict)
    for opd, bucket, n in session.execute(
        select(DailyOpdDuration.opd, DailyOpdDuration.bucket, func.sum(DailyOpdDuration.resolved))
        .where(DailyOpdDuration.regency == code, DailyOpdDuration.day.between(start, end))
        .group_by(DailyOpdDuration.opd, DailyOpdDuration.bucket)
    ):
        if n:
            histograms[opd][bucket] = int(n)
    wanted: dict[str, dict[int, list[int]]] = {}  # opd -> bucket -> ranks of the middle values inside it
    for opd, counts in histograms.items():
        total, before = sum(counts.values()), 0
        middle = {(total - 1) // 2, total // 2}
        for bucket in sorted(counts):
            inside = [rank - before for rank in sorted(middle) if before <= rank < before + counts[bucket]]
            if inside:
                wanted.setdefault(opd, {})[bucket] = inside
            before += counts[bucket]
    if not wanted:
        return {}
    low, high = _moments(start, end)
    # One index range per OPD and bucket (bounds widened a little against rounding; rows are then put in
    # buckets as the archive does); as separate SELECTs so each one uses the index by OPD and time to resolve.
    ranges = [
        select(ServiceRequest.request_id, ServiceRequest.opd, ServiceRequest.resolve_minutes).where(
            ServiceRequest.regency == code,
            RESOLVED,
            ServiceRequest.opd == opd,
            ServiceRequest.resolve_minutes >= bucket_bounds(bucket)[0] * 0.999,
            ServiceRequest.resolve_minutes < bucket_bounds(bucket)[1] * 1.001,
            ServiceRequest.resolved_at >= low,
            ServiceRequest.resolved_at < high,
        )
        for opd, buckets in wanted.items()
        for bucket in buckets
    ]
    found = {request_id: (opd, minutes) for request_id, opd, minutes in session.execute(union_all(*ranges))}
    values: dict[tuple[str, int], list[float]] = defaultdict(list)
    for opd, minutes in found.values():  # by request, as neighbouring widened ranges overlap
        values[(opd, duration_bucket(minutes))].append(minutes)
    medians = {}
    for opd, buckets in wanted.items():
        middle = [sorted(values[(opd, bucket)])[rank] for bucket, ranks in sorted(buckets.items()) for rank in ranks]
        medians[opd] = sum(middle) / len(middle)
    return medians


def kpi_series(
    session: Session, code: str, metrics: Iterable[str], start: date, end: date
) -> dict[str, dict[str, list]]:
    """Per metric with samples in the period, per WIB day: `day`, `mean`, `min`, `max` of the samples."""
    low, high = _moments(start, end)
    # Naming every metric lets the (regency, metric, ts) index serve a range per metric.
    rows = session.execute(
        select(
            KpiSample.metric,
            KpiSample.day,
            func.avg(KpiSample.value),
            func.min(KpiSample.value),
            func.max(KpiSample.value),
        )
        .where(
            KpiSample.regency == code,
            KpiSample.metric.in_(list(metrics)),
            KpiSample.ts >= low,
            KpiSample.ts < high,
        )
        .group_by(KpiSample.metric, KpiSample.day)
        .order_by(KpiSample.metric, KpiSample.day)
    )
    out: dict[str, dict[str, list]] = {}
    for metric, day, mean, low_value, high_value in rows:
        series = out.setdefault(metric, {"day": [], "mean": [], "min": [], "max": []})
        series["day"].append(day.isoformat())
        series["mean"].append(round(float(mean), 2))
        series["min"].append(float(low_value))
        series["max"].append(float(high_value))
    return out


def compare_regencies(
    session: Session, codes: Iterable[str], province_codes: Iterable[str], start: date, end: date
) -> dict[str, Any]:
    """For a briefing: `period_figures` of 2 to 6 regencies side by side, and `province_median`, the median
    over every regency of the province of each figure (regencies with no value for a figure left out). With
    province codes, the same for provinces, against the median over every province."""
    codes = list(dict.fromkeys(codes))
    if not 2 <= len(codes) <= 6:
        raise ValueError("compare 2 to 6 regencies")
    return against_the_province(session, codes, province_codes, start, end)


def against_the_province(
    session: Session, codes: Iterable[str], province_codes: Iterable[str], start: date, end: date
) -> dict[str, Any]:
    """`period_figures` of `codes` and `province_median` (as `compare_regencies`, for any number of regencies: a
    visit pack shows one)."""
    codes = list(dict.fromkeys(codes))
    everyone = period_figures(session, set(province_codes) | set(codes), start, end)
    median = {}
    for field in ("received", "resolved", "within_deadline_pct", "median_resolve_minutes", "mean_resolve_minutes"):
        values = [f[field] for f in everyone.values() if f[field] is not None]
        median[field] = _rounded(statistics.median(values)) if values else None
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "regencies": {code: everyone[code] for code in codes},
        "province_median": median,
    }
