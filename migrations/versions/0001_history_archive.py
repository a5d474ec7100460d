"""History archive: service requests, status changes, KPI samples and daily rollups.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status NOT IN ('rejected', 'resolved')")


def _moment(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "service_requests",
        sa.Column("request_id", sa.String(128), nullable=False),
        sa.Column("regency", sa.String(16), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("opd", sa.String(100), nullable=False),
        sa.Column("title", sa.String(200), nullable=True),
        sa.Column("priority", sa.String(16), nullable=True),
        sa.Column("satisfaction", sa.SmallInteger(), nullable=True),
        _moment("received_at"),
        sa.Column("received_day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _moment("status_at"),
        sa.Column("status_event_id", sa.String(128), nullable=False),
        _moment("auto_due_at"),
        _moment("sla_due", nullable=True),
        _moment("sla_due_set_at", nullable=True),
        sa.Column("sla_due_event_id", sa.String(128), nullable=True),
        _moment("due_at"),
        _moment("resolved_at", nullable=True),
        sa.Column("resolved_day", sa.Date(), nullable=True),
        sa.Column("resolve_minutes", sa.Float(), nullable=True),
        sa.Column("within_deadline", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("request_id", name="pk_service_requests"),
    )
    op.create_index("ix_service_requests_regency_received", "service_requests", ["regency", "received_at", "opd"])
    op.create_index(
        "ix_service_requests_regency_resolved",
        "service_requests",
        ["regency", "resolved_at", "opd", "resolve_minutes", "within_deadline"],
    )
    op.create_index(
        "ix_service_requests_open_due",
        "service_requests",
        ["regency", "due_at"],
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )

    op.create_table(
        "status_changes",
        sa.Column("event_id", sa.String(128), nullable=False),
        sa.Column("request_id", sa.String(128), nullable=False),
        sa.Column("regency", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _moment("ts"),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("opd", sa.String(100), nullable=False),
        _moment("sla_due", nullable=True),
        sa.Column("priority", sa.String(16), nullable=True),
        sa.Column("title", sa.String(200), nullable=True),
        sa.Column("satisfaction", sa.SmallInteger(), nullable=True),
        sa.PrimaryKeyConstraint("event_id", name="pk_status_changes"),
    )
    op.create_index("ix_status_changes_request_id", "status_changes", ["request_id"])

    op.create_table(
        "kpi_samples",
        sa.Column("event_id", sa.String(128), nullable=False),
        sa.Column("regency", sa.String(16), nullable=False),
        sa.Column("metric", sa.String(64), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        _moment("ts"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_kpi_samples"),
    )
    op.create_index("ix_kpi_samples_regency_metric_ts", "kpi_samples", ["regency", "metric", "ts"])

    op.create_table(
        "daily_rollups",
        sa.Column("regency", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.Column("within_deadline", sa.Integer(), nullable=False),
        sa.Column("resolve_minutes_sum", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("regency", "day", name="pk_daily_rollups"),
    )
    op.create_table(
        "daily_categories",
        sa.Column("regency", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("regency", "day", "category", name="pk_daily_categories"),
    )
    op.create_table(
        "daily_durations",
        sa.Column("regency", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("regency", "day", "bucket", name="pk_daily_durations"),
    )


def downgrade() -> None:
    tables = ("daily_durations", "daily_categories", "daily_rollups", "kpi_samples", "status_changes")
    for table in (*tables, "service_requests"):
        op.drop_table(table)
