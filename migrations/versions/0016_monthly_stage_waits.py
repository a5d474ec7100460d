"""`monthly_stage_waits`: the stage histograms summed per month of the received day, so that a long period reads
its whole months there and only its ragged ends by the day; filled from `daily_stage_waits`.

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
        "monthly_stage_waits",
        sa.Column("area", sa.String(16), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("opd", sa.String(100), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("area", "month", "opd", "category", "stage", "bucket", name="pk_monthly_stage_waits"),
        sqlite_with_rowid=False,
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    month = "CAST(date_trunc('month', day) AS date)" if postgres else "date(day, 'start of month')"
    key = "area, opd, category, stage, bucket"
    op.execute(
        f"INSERT INTO monthly_stage_waits (month, {key}, requests)"
        f" SELECT {month}, {key}, sum(requests) FROM daily_stage_waits GROUP BY {month}, {key}"
    )


def downgrade() -> None:
    op.drop_table("monthly_stage_waits")
