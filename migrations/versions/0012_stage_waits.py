"""Where requests wait, kept as the archive writes: histograms of closed stages and of each OPD's finished time
per request, the daily rework counts, and each open request's closed working days with its current OPD
(`store.history.stage_waits`); filled from the archived timelines. A partial index of open requests by received
time holds what the stage still open needs.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from store.history.db import UtcDateTime
from store.history.models import OPEN
from store.history.stage_waits import Change, contribution
from workers.request_rows import Deltas

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILL_ROWS = 10_000  # rows written per statement while filling


def upgrade() -> None:
    op.add_column("service_requests", sa.Column("opd_days_before", sa.Float(), nullable=True))

    def key() -> list[sa.Column]:
        return [sa.Column("area", sa.String(16), nullable=False), sa.Column("day", sa.Date(), nullable=False)]

    stage_waits = op.create_table(
        "daily_stage_waits",
        *key(),
        sa.Column("opd", sa.String(100), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("area", "day", "opd", "category", "stage", "bucket", name="pk_daily_stage_waits"),
        sqlite_with_rowid=False,
    )
    opd_waits = op.create_table(
        "daily_opd_waits",
        *key(),
        sa.Column("opd", sa.String(100), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("area", "day", "opd", "bucket", name="pk_daily_opd_waits"),
        sqlite_with_rowid=False,
    )
    reworks = op.create_table(
        "daily_reworks",
        *key(),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("bounced", sa.Integer(), nullable=False),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("area", "day", name="pk_daily_reworks"),
    )
    _fill(stage_waits, opd_waits, reworks)
    op.create_index(
        "ix_service_requests_open_received",
        "service_requests",
        ["regency", "received_at", "status", "status_at", "opd", "category", "opd_days_before"],
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def _fill(stage_waits: sa.Table, opd_waits: sa.Table, reworks: sa.Table) -> None:
    """The new tables and column from every archived request's timeline, one request at a time."""
    bind = op.get_bind()
    requests = sa.table(
        "service_requests",
        *(sa.column(name) for name in ("regency", "request_id", "category")),
        sa.column("received_day", sa.Date()),
        sa.column("opd_days_before", sa.Float()),
    )
    changes = sa.table(
        "status_changes",
        *(sa.column(name) for name in ("regency", "request_id", "status", "opd", "event_id")),
        sa.column("ts", UtcDateTime()),
    )
    timelines = (
        sa.select(
            requests.c.regency,
            requests.c.request_id,
            requests.c.category,
            requests.c.received_day,
            changes.c.status,
            changes.c.ts,
            changes.c.opd,
            changes.c.event_id,
        )
        .join(changes, (changes.c.regency == requests.c.regency) & (changes.c.request_id == requests.c.request_id))
        .order_by(requests.c.regency, requests.c.request_id)
    )
    sums = Deltas()  # the archive's own sums of contributions
    open_days: list[dict] = []

    def add(identity: tuple, category: str, day: object, timeline: list[Change]) -> None:
        found = contribution(category, timeline)
        sums.count_waits({"regency": identity[0], "received_day": day}, found, +1)
        if found.opd_days_before is not None:
            open_days.append({"r": identity[0], "q": identity[1], "days": found.opd_days_before})

    current: tuple | None = None
    timeline: list[Change] = []
    category, day = "", None
    for regency, request_id, category_, day_, status, ts, opd, event_id in bind.execute(timelines):
        if (regency, request_id) != current:
            if current is not None:
                add(current, category, day, timeline)
            current, timeline, category, day = (regency, request_id), [], category_, day_
        timeline.append(Change(status, ts, opd, event_id))
    if current is not None:
        add(current, category, day, timeline)

    for table, changes in ((stage_waits, sums.stage_waits), (opd_waits, sums.opd_waits), (reworks, sums.reworks)):
        rows = Deltas.rows(changes, tuple(column.name for column in table.primary_key))
        for start in range(0, len(rows), FILL_ROWS):
            op.bulk_insert(table, rows[start : start + FILL_ROWS])
    update = (
        sa.update(requests)
        .where(requests.c.regency == sa.bindparam("r"), requests.c.request_id == sa.bindparam("q"))
        .values(opd_days_before=sa.bindparam("days"))
    )
    for start in range(0, len(open_days), FILL_ROWS):
        bind.execute(update, open_days[start : start + FILL_ROWS])


def downgrade() -> None:
    op.drop_index("ix_service_requests_open_received", table_name="service_requests")
    for table in ("daily_reworks", "daily_opd_waits", "daily_stage_waits"):
        op.drop_table(table)
    # SQLite drops the column in place (3.35+): a batch copy of the table would lose its search triggers.
    op.execute("ALTER TABLE service_requests DROP COLUMN opd_days_before")
