"""The plans of every drill-down's statements on a filled PostgreSQL history (`bench.history_fill`): each page query
of `bench.history` is run once for Kota Medan over 90 days, its statements captured, then each one explained with
`EXPLAIN (ANALYZE, BUFFERS)`; printed as Markdown, the plan's first lines (where the time goes) per statement.

    python -m bench.plans [--events 50000000] [--national] [--lines 12] [--postgres URL]
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from bench.history import _page_queries
from bench.history_events import national_reference
from bench.history_fill import DEFAULT_EVENTS, POSTGRES_URL, postgres_fill
from store.contract.reference import load_reference
from store.history.db import make_sessionmaker
from store.history.periods import period

REGENCY = "12.71"  # Kota Medan, the largest


@contextmanager
def _captured(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def plans(events: int, national: bool, lines: int, base_url: str = POSTGRES_URL) -> str:
    """Markdown: per drill-down, each statement's plan (its first `lines` lines) with its execution time."""
    reference = load_reference()
    fill = postgres_fill(events, base_url, national_reference() if national else reference)
    sessions = make_sessionmaker(fill.url)
    engine = sessions.kw["bind"]
    first, last = period("90d", fill.today)
    out = [f"Plans at {events:,} events ({'national' if national else 'Sumatera Utara'} fill), Kota Medan, 90 days"]
    try:
        for name, query in _page_queries(reference).items():
            with sessions() as session, _captured(engine) as statements:
                query(session, REGENCY, first, last, fill.end)
            out.append(f"\n#### {name}\n")
            with engine.connect() as connection:
                for statement, parameters in statements:
                    plan = [
                        row[0]
                        for row in connection.exec_driver_sql(
                            "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
                        ).all()
                    ]
                    total = next((line for line in reversed(plan) if line.startswith("Execution Time")), "")
                    head = " ".join(statement.split())[:100]
                    out += ["```", f"-- {head}... ({total})", *plan[:lines], "```"]
    finally:
        engine.dispose()
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=DEFAULT_EVENTS)
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--lines", type=int, default=12)
    parser.add_argument("--postgres", default=POSTGRES_URL, help="server (any database) of the fill")
    args = parser.parse_args()
    print(plans(args.events, args.national, args.lines, args.postgres))


if __name__ == "__main__":
    main()
