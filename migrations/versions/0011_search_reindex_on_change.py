"""SQLite: re-index a request for search only when its indexed text changed. The archive's upsert writes every
column of a request on each of its events, so the trigger of 0009 re-indexed it on every status change, for
nothing.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = "request_id, title, opd, category"
SQLITE_VALUES = "{row}.request_id, {row}.title, {row}.opd, replace({row}.category, '_', ' ')"
CHANGED = " OR ".join(f"old.{column} IS NOT new.{column}" for column in COLUMNS.split(", "))


def _update_trigger(when: str) -> str:
    new, old = SQLITE_VALUES.format(row="new"), SQLITE_VALUES.format(row="old")
    return (
        f"CREATE TRIGGER request_search_update AFTER UPDATE OF {COLUMNS} ON service_requests {when}BEGIN "
        f"INSERT INTO request_search(request_search, rowid, {COLUMNS}) VALUES ('delete', old.rowid, {old}); "
        f"INSERT INTO request_search(rowid, {COLUMNS}) VALUES (new.rowid, {new}); END"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER request_search_update")
        op.execute(_update_trigger(f"WHEN {CHANGED} "))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER request_search_update")
        op.execute(_update_trigger(""))
