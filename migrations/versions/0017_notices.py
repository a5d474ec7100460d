"""Deadline notices and escalation: `escalations` (a rule a request set off, its tier and acknowledgement) and
`notices` (the outbox: one delivery per recipient and tier).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("province", sa.String(2), nullable=False),
        sa.Column("regency", sa.String(16), nullable=False),
        sa.Column("request_id", sa.String(128), nullable=False),
        sa.Column("opd", sa.String(100), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("tier", sa.String(16), nullable=False),
        _moment("raised_at", nullable=False),
        _moment("climbs_at"),
        _moment("acknowledged_at"),
        sa.Column("acknowledged_by", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_escalations"),
        sa.UniqueConstraint("key", name="uq_escalations_key"),
    )
    climbing = sa.text("climbs_at IS NOT NULL")
    op.create_index(
        "ix_escalations_climbing", "escalations", ["climbs_at"], sqlite_where=climbing, postgresql_where=climbing
    )
    op.create_index("ix_escalations_province_raised", "escalations", ["province", "raised_at"])
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("province", sa.String(2), nullable=False),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("recipient", sa.String(300), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _moment("created_at", nullable=False),
        _moment("next_attempt_at"),
        _moment("sent_at"),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_notices"),
        sa.UniqueConstraint("idempotency_key", name="uq_notices_idempotency_key"),
        sa.ForeignKeyConstraint(
            ["escalation_id"], ["escalations.id"], name="fk_notices_escalation_id_escalations", ondelete="CASCADE"
        ),
    )
    pending = sa.text("status = 'pending'")
    op.create_index("ix_notices_due", "notices", ["next_attempt_at"], sqlite_where=pending, postgresql_where=pending)
    op.create_index("ix_notices_province_created", "notices", ["province", "created_at"])


def downgrade() -> None:
    op.drop_table("notices")
    op.drop_table("escalations")
