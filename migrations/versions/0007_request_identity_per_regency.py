"""A request is identified by its regency and its request_id: two regencies' applications may number their
requests alike without one request overwriting the other. The primary key of `service_requests` becomes
(regency, request_id), and a request's status changes are found by the same pair.

On SQLite the table is rebuilt (batch mode); its partial indexes are dropped first and created again after,
so their conditions are not left to reflection.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

from store.history.models import OPEN, RESOLVED

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTIAL = {
    "ix_service_requests_resolved_minutes": (["regency", "opd", "resolve_minutes", "resolved_at"], RESOLVED),
    "ix_service_requests_open_due_opd": (["regency", "due_at", "opd", "received_at", "status"], OPEN),
}


def _primary_key(columns: list[str]) -> None:
    for name in PARTIAL:
        op.drop_index(name, table_name="service_requests")
    with op.batch_alter_table("service_requests", recreate="auto") as batch:
        batch.drop_constraint("pk_service_requests", type_="primary")
        batch.create_primary_key("pk_service_requests", columns)
    for name, (columns_of_index, condition) in PARTIAL.items():
        op.create_index(name, "service_requests", columns_of_index, sqlite_where=condition, postgresql_where=condition)


def upgrade() -> None:
    _primary_key(["regency", "request_id"])
    op.create_index("ix_status_changes_regency_request", "status_changes", ["regency", "request_id"])
    op.drop_index("ix_status_changes_request_id", table_name="status_changes")


def downgrade() -> None:
    op.create_index("ix_status_changes_request_id", "status_changes", ["request_id"])
    op.drop_index("ix_status_changes_regency_request", table_name="status_changes")
    _primary_key(["request_id"])
