"""On PostgreSQL, the event-level tables (`status_changes`, `kpi_samples`) partitioned by the UTC month of `ts`
(`store.history.partitions`): each table is rebuilt as a partitioned one with its rows, its indexes made on every
partition, and its primary key (event_id, ts), since a partitioned table's unique keys hold its partition key.
SQLite keeps plain tables.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

from store.contract import clock
from store.history.partitions import PARTITIONED, ensure_months, month_of, months_between

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _indexes(table: str) -> list[str]:
    """The definitions of `table`'s indexes but its primary key's."""
    return list(
        op.get_bind()
        .execute(
            text(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = :t"
                " AND indexname <> :pk ORDER BY indexname"
            ),
            {"t": table, "pk": f"pk_{table}"},
        )
        .scalars()
    )


def _rebuild(table: str, partitioned: bool) -> None:
    """`table` made again with its rows and indexes, partitioned by month or plain."""
    bind = op.get_bind()
    indexes = _indexes(table)
    old = f"{table}_before_0013" if partitioned else f"{table}_partitioned"
    op.execute(f"ALTER TABLE {table} RENAME TO {old}")
    for definition in indexes:
        op.execute(f"DROP INDEX {definition.split(' INDEX ')[1].split(' ON ')[0]}")
    op.execute(f"ALTER TABLE {old} DROP CONSTRAINT pk_{table}")
    if partitioned:
        op.execute(f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS) PARTITION BY RANGE (ts)")
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT pk_{table} PRIMARY KEY (event_id, ts)")
        first, last = bind.execute(text(f"SELECT min(ts), max(ts) FROM {old}")).one()
        now = clock.now()
        months = months_between(month_of(first or now), max(month_of(last or now), month_of(now)))
        ensure_months(bind, table, months)
        op.execute(f"INSERT INTO {table} SELECT * FROM {old}")
    else:
        op.execute(f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS)")
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT pk_{table} PRIMARY KEY (event_id)")
        # An event_id stored twice under different times (possible once partitioned) is kept once, the earliest.
        op.execute(f"INSERT INTO {table} SELECT * FROM {old} ORDER BY ts ON CONFLICT DO NOTHING")
    op.execute(f"DROP TABLE {old}")
    for definition in indexes:
        op.execute(definition.replace(" ON ONLY ", " ON "))
    op.execute(f"ANALYZE {table}")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in PARTITIONED:
            _rebuild(table, partitioned=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in PARTITIONED:
            _rebuild(table, partitioned=False)
