"""An area of the history's queries: a regency ("12.71") or a province ("12"), as a condition on a regency column.

A province is the list of its regencies (reference data), not a prefix: `LIKE '12.%'` uses no index on PostgreSQL
under a non-C collation (C.UTF-8 included, before PostgreSQL 17), nor on SQLite with its case-blind LIKE, so a
province's look-ups would read every province's rows; `IN (...)` is as many index look-ups as it has regencies.
"""

from __future__ import annotations

from typing import Any

from store.contract.reference import load_reference


def regency_codes(area: str) -> list[str]:
    """The regency `area`, or every regency of the province `area`."""
    return [area] if "." in area else sorted(load_reference(area).regencies)


def within(column: Any, area: str) -> Any:
    """`column` (a regency code) inside `area`."""
    return column == area if "." in area else column.in_(regency_codes(area))
