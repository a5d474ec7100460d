"""`weekly_stage_waits`: the stage histograms summed per week (Monday to Sunday) of the received day, so that a
period reads its whole weeks there and only its ragged ends by the day; filled from `daily_stage_waits`.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "weekly_stage_waits",
        sa.Column("area", sa.String(16), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("opd", sa.String(100), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("area", "week", "opd", "category", "stage", "bucket", name="pk_weekly_stage_waits"),
        sqlite_with_rowid=False,
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    # The Monday of the day's week (SQLite's %w counts from Sunday, 0).
    monday = "date(day, '-' || ((strftime('%w', day) + 6) % 7) || ' days')"
    week = "CAST(date_trunc('week', day) AS date)" if postgres else monday
    key = "area, opd, category, stage, bucket"
    # In key order: an area's rows lie together on disk, so a period reads a few pages instead of one per row.
    op.execute(
        f"INSERT INTO weekly_stage_waits (week, {key}, requests)"
        f" SELECT {week}, {key}, sum(requests) FROM daily_stage_waits GROUP BY {week}, {key} ORDER BY area, 1, {key}"
    )


def downgrade() -> None:
    op.drop_table("weekly_stage_waits")
