"""A province's own rows in `daily_rollups` and `daily_durations` (its two-digit code as `regency`), the sums of its
regencies' rows, so that comparing provinces reads one row a day each instead of every regency's.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REGENCY_ROWS = "regency LIKE '%.%'"  # a regency's code has a dot ("12.71"), a province's none ("12")


def upgrade() -> None:
    op.execute(
        "INSERT INTO daily_rollups (regency, day, received, resolved, within_deadline, resolve_minutes_sum)"
        " SELECT substr(regency, 1, 2), day, sum(received), sum(resolved), sum(within_deadline),"
        f" sum(resolve_minutes_sum) FROM daily_rollups WHERE {REGENCY_ROWS} GROUP BY substr(regency, 1, 2), day"
    )
    op.execute(
        "INSERT INTO daily_durations (regency, day, bucket, resolved)"
        " SELECT substr(regency, 1, 2), day, bucket, sum(resolved) FROM daily_durations"
        f" WHERE {REGENCY_ROWS} GROUP BY substr(regency, 1, 2), day, bucket"
    )


def downgrade() -> None:
    for table in ("daily_rollups", "daily_durations"):
        op.execute(f"DELETE FROM {table} WHERE NOT ({REGENCY_ROWS})")
