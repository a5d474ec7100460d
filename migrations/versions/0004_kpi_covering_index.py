"""KPI samples: the regency, metric and time index also carries the day and value, so a regency's KPI
series over a period is read from the index alone (no row look-up per sample).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_kpi_samples_regency_metric_ts_day_value", "kpi_samples", ["regency", "metric", "ts", "day", "value"]
    )
    op.drop_index("ix_kpi_samples_regency_metric_ts", table_name="kpi_samples")


def downgrade() -> None:
    op.create_index("ix_kpi_samples_regency_metric_ts", "kpi_samples", ["regency", "metric", "ts"])
    op.drop_index("ix_kpi_samples_regency_metric_ts_day_value", table_name="kpi_samples")
