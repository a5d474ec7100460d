"""Daily per-OPD rollups (received, resolved, within deadline) and resolve-time histograms, maintained by the
archive like the other daily tables, so the OPD table reads a few hundred rows; filled from the request rows.
An index of resolved requests by OPD and time to resolve lets the exact median read only its bucket's rows.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from store.history.models import duration_bucket

RESOLVED = sa.text("status = 'resolved'")

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    opds = op.create_table(
        "daily_opds",
        sa.Column("regency", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("opd", sa.String(100), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.Column("within_deadline", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("regency", "day", "opd", name="pk_daily_opds"),
        sqlite_with_rowid=False,
    )
    durations = op.create_table(
        "daily_opd_durations",
        sa.Column("regency", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("opd", sa.String(100), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("regency", "day", "opd", "bucket", name="pk_daily_opd_durations"),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_service_requests_resolved_minutes",
        "service_requests",
        ["regency", "opd", "resolve_minutes", "resolved_at"],
        sqlite_where=RESOLVED,
        postgresql_where=RESOLVED,
    )
    _fill(opds, durations)


def _fill(opds: sa.Table, durations: sa.Table) -> None:
    """The new tables from the archived requests (received on their received day, resolved on theirs)."""
    bind = op.get_bind()
    requests = sa.table(
        "service_requests",
        *(sa.column(name) for name in ("regency", "opd", "status")),
        sa.column("received_day", sa.Date()),
        sa.column("resolved_day", sa.Date()),
        sa.column("within_deadline", sa.Boolean()),
        sa.column("resolve_minutes", sa.Float()),
    )
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    buckets: dict[tuple, int] = defaultdict(int)
    received = sa.select(requests.c.regency, requests.c.received_day, requests.c.opd, sa.func.count()).group_by(
        requests.c.regency, requests.c.received_day, requests.c.opd
    )
    for regency, day, opd, n in bind.execute(received):
        counts[(regency, day, opd)][0] = n
    resolved = sa.select(
        requests.c.regency,
        requests.c.resolved_day,
        requests.c.opd,
        requests.c.within_deadline,
        requests.c.resolve_minutes,
    ).where(requests.c.status == "resolved")
    for regency, day, opd, within, minutes in bind.execute(resolved):
        row = counts[(regency, day, opd)]
        row[1] += 1
        row[2] += bool(within)
        buckets[(regency, day, opd, duration_bucket(minutes))] += 1
    rows = [
        dict(zip(("regency", "day", "opd", "received", "resolved", "within_deadline"), (*k, *v), strict=True))
        for k, v in counts.items()
    ]
    if rows:
        op.bulk_insert(opds, rows)
    rows = [
        dict(zip(("regency", "day", "opd", "bucket", "resolved"), (*k, n), strict=True)) for k, n in buckets.items()
    ]
    if rows:
        op.bulk_insert(durations, rows)


def downgrade() -> None:
    op.drop_index("ix_service_requests_resolved_minutes", table_name="service_requests")
    op.drop_table("daily_opd_durations")
    op.drop_table("daily_opds")
