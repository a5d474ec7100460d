"""SQL models of the history archive: requests with their latest state, every event, and daily rollups.

The rules match the live contract: a request is received at the earliest (`ts`, event_id) seen for it, its
state is the event with the latest (`ts`, status rank, event_id), and the same event_id twice counts once. The
daily tables hold each request's contribution to its received day and its resolved day, so the
regency page reads a few hundred rows whatever the number of archived events.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, Index, Integer, PrimaryKeyConstraint, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from store.contract.events import TERMINAL
from store.history.db import Base, UtcDateTime

# Open means neither resolved nor rejected. The partial index and the queries share this literal text,
# because SQLite uses a partial index only when the query repeats its predicate.
OPEN = text("status NOT IN (" + ", ".join(f"'{s}'" for s in sorted(TERMINAL)) + ")")

# Resolved requests, for the partial index the OPD table's medians read (same literal text, as for OPEN).
RESOLVED = text("status = 'resolved'")

# Resolve times are kept per day as a histogram with buckets a quarter of a doubling wide,
# so a median read from the rollups is within about 9% of the exact one.
BUCKETS_PER_DOUBLING = 4


def duration_bucket(minutes: float) -> int:
    """Histogram bucket of a time to resolve: 0 under a minute, then one per quarter doubling."""
    if minutes < 1:
        return 0
    return 1 + math.floor(BUCKETS_PER_DOUBLING * math.log2(minutes))


def bucket_bounds(bucket: int) -> tuple[float, float]:
    """Times to resolve (minutes) that fall in a bucket: from the first, up to (not including) the second."""
    if bucket == 0:
        return 0.0, 1.0
    return 2 ** ((bucket - 1) / BUCKETS_PER_DOUBLING), 2 ** (bucket / BUCKETS_PER_DOUBLING)


def bucket_minutes(bucket: int) -> float:
    """Representative time of a bucket (its geometric middle)."""
    if bucket == 0:
        return 0.5
    return 2 ** ((bucket - 0.5) / BUCKETS_PER_DOUBLING)


class ServiceRequest(Base):
    """One service request with its latest state (by event time) and what the rollups counted for it."""

    __tablename__ = "service_requests"

    # A request is its regency's: two regencies' applications may number their requests alike.
    regency: Mapped[str] = mapped_column(String(16), primary_key=True)
    request_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    category: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(32))
    opd: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(200))
    priority: Mapped[str | None] = mapped_column(String(16))
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_day: Mapped[date] = mapped_column(Date)  # WIB date of received_at
    received_event_id: Mapped[str] = mapped_column(String(128), server_default="")  # breaks ties between equal times
    status: Mapped[str] = mapped_column(String(16))
    status_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status_event_id: Mapped[str] = mapped_column(String(128))  # breaks ties between equal times
    auto_due_at: Mapped[datetime] = mapped_column(UtcDateTime)  # working-day deadline of the category
    sla_due: Mapped[datetime | None] = mapped_column(UtcDateTime)  # explicit deadline, latest by ts wins
    sla_due_set_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sla_due_event_id: Mapped[str | None] = mapped_column(String(128))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)  # sla_due, else auto_due_at
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_day: Mapped[date | None] = mapped_column(Date)
    resolve_minutes: Mapped[float | None] = mapped_column(Float)
    within_deadline: Mapped[bool | None] = mapped_column(Boolean)
    # While a stage is open: its working days with its current OPD in closed stages (`store.history.stage_waits`).
    opd_days_before: Mapped[float | None] = mapped_column(Float)
    # While a stage is open: where it began on the line of working days (`working_day_position`).
    stage_started: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (
        # Covering the OPD table's columns, so a period's rows are read from the index alone.
        Index("ix_service_requests_regency_received", "regency", "received_at", "opd"),
        Index(
            "ix_service_requests_regency_resolved",
            "regency",
            "resolved_at",
            "opd",
            "resolve_minutes",
            "within_deadline",
        ),
        Index(
            "ix_service_requests_resolved_minutes",
            "regency",
            "opd",
            "resolve_minutes",
            "resolved_at",
            sqlite_where=RESOLVED,
            postgresql_where=RESOLVED,
        ),
        # Covering the OPD table's open counts (per OPD, overdue, oldest) as well as the deadline watch.
        Index(
            "ix_service_requests_open_due_opd",
            "regency",
            "due_at",
            "opd",
            "received_at",
            "status",  # named by the partial index's condition: without it, SQLite reads each row
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        ),
        # Covering what the stages still open are worked out from (`store.history.handoff`).
        Index(
            "ix_service_requests_open_received",
            "regency",
            "received_at",
            "status",
            "opd",
            "category",
            "stage_started",
            "opd_days_before",
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        ),
    )


class StatusChange(Base):
    """Every accepted service_request event, as received (the request's timeline)."""

    __tablename__ = "status_changes"

    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    request_id: Mapped[str] = mapped_column(String(128))
    regency: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    ts: Mapped[datetime] = mapped_column(UtcDateTime)
    category: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(32))
    opd: Mapped[str] = mapped_column(String(100))
    sla_due: Mapped[datetime | None] = mapped_column(UtcDateTime)
    priority: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(String(200))
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger)

    # The shift digest counts a period's stage changes by status from this index alone.
    __table_args__ = (
        Index("ix_status_changes_ts_status", "ts", "status"),
        Index("ix_status_changes_regency_request", "regency", "request_id"),  # a request's timeline
    )


class KpiSample(Base):
    """Every accepted KPI event."""

    __tablename__ = "kpi_samples"

    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    regency: Mapped[str] = mapped_column(String(16))
    metric: Mapped[str] = mapped_column(String(64))
    value: Mapped[float] = mapped_column(Float)
    ts: Mapped[datetime] = mapped_column(UtcDateTime)
    day: Mapped[date] = mapped_column(Date)  # WIB date of ts, for daily series

    # Covering the KPI series' columns, so a period's samples are read from the index alone.
    __table_args__ = (Index("ix_kpi_samples_regency_metric_ts_day_value", "regency", "metric", "ts", "day", "value"),)


class DailyRollup(Base):
    """Per regency and WIB day: requests received that day, and resolved that day (with deadline and time). A
    province has rows of its own (`regency` its two-digit code), the sums of its regencies', so that comparing
    provinces reads one row a day each."""

    __tablename__ = "daily_rollups"

    regency: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    received: Mapped[int] = mapped_column(Integer, default=0)
    resolved: Mapped[int] = mapped_column(Integer, default=0)
    within_deadline: Mapped[int] = mapped_column(Integer, default=0)
    resolve_minutes_sum: Mapped[float] = mapped_column(Float, default=0.0)


class DailyCategory(Base):
    """Per regency, WIB day and category: requests received."""

    __tablename__ = "daily_categories"

    regency: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    category: Mapped[str] = mapped_column(String(64), primary_key=True)
    received: Mapped[int] = mapped_column(Integer, default=0)


class DailyDuration(Base):
    """Per regency, WIB day and `duration_bucket`: requests resolved that day, for approximate medians. A province
    has rows of its own, as in `DailyRollup`."""

    __tablename__ = "daily_durations"

    regency: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    bucket: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    resolved: Mapped[int] = mapped_column(Integer, default=0)


class DailyOpd(Base):
    """Per regency, WIB day and OPD: requests received that day, and resolved that day (within deadline)."""

    __tablename__ = "daily_opds"
    __table_args__ = ({"sqlite_with_rowid": False},)  # rows read in key order, values beside the key

    regency: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    opd: Mapped[str] = mapped_column(String(100), primary_key=True)
    received: Mapped[int] = mapped_column(Integer, default=0)
    resolved: Mapped[int] = mapped_column(Integer, default=0)
    within_deadline: Mapped[int] = mapped_column(Integer, default=0)


class DailyOpdDuration(Base):
    """Per regency, WIB day, OPD and `duration_bucket`: requests resolved that day. The OPD table finds the
    bucket holding the median here, then reads only that bucket's request rows for the exact value."""

    __tablename__ = "daily_opd_durations"
    __table_args__ = ({"sqlite_with_rowid": False},)

    regency: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    opd: Mapped[str] = mapped_column(String(100), primary_key=True)
    bucket: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    resolved: Mapped[int] = mapped_column(Integer, default=0)


class _StageHistogram:
    """The columns of a stage histogram's row beside its area and time: OPD, category, stage and `duration_bucket`
    of the working time, and the closed stages counted there."""

    opd: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(16))
    bucket: Mapped[int] = mapped_column(SmallInteger)
    requests: Mapped[int] = mapped_column(Integer, default=0)


class DailyStageWait(_StageHistogram, Base):
    """Per area (a regency, and its province in all), WIB day a request was received, OPD, category, stage and
    `duration_bucket` of its working time: the closed stages of those requests (`store.history.stage_waits`). The
    province's own rows spare a province-wide question the sum of its regencies' millions of rows."""

    __tablename__ = "daily_stage_waits"
    __table_args__ = (
        PrimaryKeyConstraint("area", "day", "opd", "category", "stage", "bucket"),
        {"sqlite_with_rowid": False},
    )

    area: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date)


class WeeklyStageWait(_StageHistogram, Base):
    """`DailyStageWait` summed per week of the received day (`week`, its Monday): a period reads its whole weeks here
    and only its ragged ends (at most six days each) by the day."""

    __tablename__ = "weekly_stage_waits"
    __table_args__ = (
        PrimaryKeyConstraint("area", "week", "opd", "category", "stage", "bucket"),
        {"sqlite_with_rowid": False},
    )

    area: Mapped[str] = mapped_column(String(16))
    week: Mapped[date] = mapped_column(Date)


class DailyOpdWait(Base):
    """Per area (a regency, and its province), WIB day a request was received, OPD and `duration_bucket`: the
    requests whose time with the OPD is over, by the working days they waited with it in all."""

    __tablename__ = "daily_opd_waits"
    __table_args__ = ({"sqlite_with_rowid": False},)

    area: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    opd: Mapped[str] = mapped_column(String(100), primary_key=True)
    bucket: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    requests: Mapped[int] = mapped_column(Integer, default=0)


class DailyRework(Base):
    """Per area (a regency, and its province) and WIB day a request was received: the requests that waited in
    some stage, those that moved between OPDs, and those reopened after "resolved"."""

    __tablename__ = "daily_reworks"

    area: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    requests: Mapped[int] = mapped_column(Integer, default=0)
    bounced: Mapped[int] = mapped_column(Integer, default=0)
    reopened: Mapped[int] = mapped_column(Integer, default=0)
