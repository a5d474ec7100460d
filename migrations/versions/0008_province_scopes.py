"""Users and API tokens carry the provinces they may see or send for (`provinces`: codes joined by commas), so
one deployment can serve several provinces; NULL, what every existing row gets, is every province.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("users", "api_tokens"):
        op.add_column(table, sa.Column("provinces", sa.String(200), nullable=True))


def downgrade() -> None:
    for table in ("users", "api_tokens"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("provinces")
