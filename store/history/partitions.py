"""Monthly partitions of the event-level tables on PostgreSQL (migration 0013).

`status_changes` and `kpi_samples` grow with every event, so on PostgreSQL each is partitioned by the UTC month of
`ts`: a query over a period reads only its months, and retention drops a month whole instead of deleting millions of
rows. A partition is named `<table>_<yyyy>_<mm>` and is made when the first event of its month is written (the
archive, the fill) or by the migration for the rows it moves. SQLite keeps plain tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import Connection, text

PARTITIONED = ("status_changes", "kpi_samples")
_NAME = re.compile(r"_(\d{4})_(\d{2})$")


def month_of(moment: datetime) -> date:
    """The first day of the UTC month of `moment`."""
    utc = moment.astimezone(UTC)
    return date(utc.year, utc.month, 1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from `first`'s to `last`'s, both included."""
    months, month = [], date(first.year, first.month, 1)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def partition_name(table: str, month: date) -> str:
    return f"{table}_{month:%Y_%m}"


def ensure_months(connection: Connection, table: str, months: Iterable[date]) -> None:
    """Make the partitions of `table` for `months` that do not exist yet."""
    for month in sorted(set(months)):
        low = datetime(month.year, month.month, 1, tzinfo=UTC)
        high = datetime.combine(next_month(month), datetime.min.time(), tzinfo=UTC)
        connection.exec_driver_sql(
            f'CREATE TABLE IF NOT EXISTS "{partition_name(table, month)}" PARTITION OF "{table}"'
            f" FOR VALUES FROM ('{low.isoformat()}') TO ('{high.isoformat()}')"
        )


def partition_months(connection: Connection, table: str) -> list[date]:
    """The months `table` has a partition for, oldest first."""
    names = connection.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = to_regclass(:t)"
        ),
        {"t": table},
    ).scalars()
    months = []
    for name in names:
        found = _NAME.search(name)
        if found:
            months.append(date(int(found[1]), int(found[2]), 1))
    return sorted(months)


def drop_months_before(connection: Connection, table: str, before: datetime) -> int:
    """Drop the partitions of `table` whose whole month lies before `before`; returns how many rows went."""
    gone = 0
    for month in partition_months(connection, table):
        if datetime.combine(next_month(month), datetime.min.time(), tzinfo=UTC) > before:
            break
        name = partition_name(table, month)
        gone += connection.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar() or 0
        connection.exec_driver_sql(f'DROP TABLE "{name}"')
    return gone
