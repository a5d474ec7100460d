"""Each open request's stage start on the line of working days (`service_requests.stage_started`,
`store.contract.calendar.working_day_position`), so the stages still open are summed up in SQL; the partial index of
open requests covers it instead of `status_at`.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from store.contract.calendar import working_day_position
from store.history.db import UtcDateTime
from store.history.models import OPEN

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILL_ROWS = 10_000  # rows updated per statement
INDEX = "ix_service_requests_open_received"


def upgrade() -> None:
    op.add_column("service_requests", sa.Column("stage_started", sa.Float(), nullable=True))
    requests = sa.table(
        "service_requests",
        sa.column("regency"),
        sa.column("request_id"),
        sa.column("status"),
        sa.column("status_at", UtcDateTime()),
        sa.column("stage_started", sa.Float()),
    )
    bind = op.get_bind()
    started = [
        {"r": regency, "q": request_id, "at": working_day_position(status_at)}
        for regency, request_id, status_at in bind.execute(
            sa.select(requests.c.regency, requests.c.request_id, requests.c.status_at).where(OPEN)
        )
    ]
    update = (
        sa.update(requests)
        .where(requests.c.regency == sa.bindparam("r"), requests.c.request_id == sa.bindparam("q"))
        .values(stage_started=sa.bindparam("at"))
    )
    for start in range(0, len(started), FILL_ROWS):
        bind.execute(update, started[start : start + FILL_ROWS])
    _index(["regency", "received_at", "status", "opd", "category", "stage_started", "opd_days_before"])


def downgrade() -> None:
    _index(["regency", "received_at", "status", "status_at", "opd", "category", "opd_days_before"])
    # SQLite drops the column in place (3.35+): a batch copy of the table would lose its search triggers.
    op.execute("ALTER TABLE service_requests DROP COLUMN stage_started")


def _index(columns: list[str]) -> None:
    op.drop_index(INDEX, table_name="service_requests")
    op.create_index(INDEX, "service_requests", columns, sqlite_where=OPEN, postgresql_where=OPEN)
