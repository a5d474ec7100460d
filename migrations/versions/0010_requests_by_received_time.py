"""PostgreSQL: the requests in order of their receipt, province-wide, so a search for a common word ranks its
newest matches (`store.history.search.RANKED_WINDOW`) by walking them backwards instead of fetching every match
from the table. SQLite's full-text index already yields its matches newest first (by rowid).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_service_requests_received", "service_requests", ["received_at"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_service_requests_received", table_name="service_requests")
