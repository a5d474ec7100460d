"""Finding requests across a province: by their id, exactly, then by the words of the id, the title, the OPD and
the category, ranked by the database's own full-text search (SQLite FTS5's bm25, PostgreSQL's `ts_rank`; see
migration 0009). Every word must match, each as a prefix ("jal" finds "jalan")."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select, text, tuple_
from sqlalchemy.orm import Session

from store.history.models import ServiceRequest
from store.history.open_requests import case_of

MAX_WORDS = 8  # a longer query is cut: nobody types more, and each word costs a posting-list scan
SEARCH_LIMIT = 50
_WORD = re.compile(r"[^\W_]+")
_SQLITE = text(
    "SELECT sr.regency, sr.request_id FROM request_search JOIN service_requests sr ON sr.rowid = request_search.rowid "
    "WHERE request_search MATCH :match AND sr.regency LIKE :area ORDER BY bm25(request_search), sr.received_at DESC "
    "LIMIT :limit"
)
_POSTGRES = text(
    "SELECT regency, request_id FROM service_requests, to_tsquery('simple', :match) AS q "
    "WHERE search @@ q AND regency LIKE :area ORDER BY ts_rank(search, q) DESC, received_at DESC LIMIT :limit"
)


def query_words(query: str) -> list[str]:
    """The words of a query as the index has them: letters and digits, lower case, at most `MAX_WORDS`."""
    return _WORD.findall(query.lower())[:MAX_WORDS]


def search_requests(session: Session, area: str, query: str, now: datetime, limit: int = SEARCH_LIMIT) -> list[dict]:
    """The requests of `area` (a province's two-digit code or a regency's) that `query` finds, best first: a request
    whose id is the query exactly, then the full-text matches. Each is a table row (`case_of`) with `exact`."""
    words = query_words(query)
    if not words:
        return []
    prefix = f"{area}%" if "." in area else f"{area}.%"
    exact = session.scalars(
        select(ServiceRequest)
        .where(ServiceRequest.request_id == query.strip(), ServiceRequest.regency.like(prefix))
        .order_by(ServiceRequest.regency)
        .limit(limit)
    ).all()
    postgres = session.get_bind().dialect.name == "postgresql"
    match = " & ".join(f"{w}:*" for w in words) if postgres else " ".join(f'"{w}"*' for w in words)
    found = session.execute(_POSTGRES if postgres else _SQLITE, {"match": match, "area": prefix, "limit": limit})
    keys = [tuple(row) for row in found if tuple(row) not in {(r.regency, r.request_id) for r in exact}]
    rows = {(r.regency, r.request_id): r for r in _by_keys(session, keys)}
    ordered = [*exact, *(rows[key] for key in keys if key in rows)][:limit]
    return [{**case_of(r, now), "exact": r in exact} for r in ordered]


def _by_keys(session: Session, keys: list[tuple[Any, ...]]) -> list[ServiceRequest]:
    if not keys:
        return []
    return list(
        session.scalars(
            select(ServiceRequest).where(tuple_(ServiceRequest.regency, ServiceRequest.request_id).in_(keys))
        )
    )
