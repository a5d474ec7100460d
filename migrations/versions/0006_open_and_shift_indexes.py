"""Open requests: the partial index by regency and deadline also carries the OPD, the time received and the
status (which the index's condition names), so the OPD table counts a regency's open and overdue requests per
OPD and finds the oldest from the index alone (no row look-up per open request). Status changes get an index
by time and status, so the shift digest counts a shift's stage changes without reading the whole table.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

from store.history.models import OPEN

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_service_requests_open_due_opd",
        "service_requests",
        ["regency", "due_at", "opd", "received_at", "status"],
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.drop_index("ix_service_requests_open_due", table_name="service_requests")
    op.create_index("ix_status_changes_ts_status", "status_changes", ["ts", "status"])


def downgrade() -> None:
    op.drop_index("ix_status_changes_ts_status", table_name="status_changes")
    op.create_index(
        "ix_service_requests_open_due",
        "service_requests",
        ["regency", "due_at"],
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.drop_index("ix_service_requests_open_due_opd", table_name="service_requests")
