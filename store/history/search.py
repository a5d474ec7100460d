"""Finding requests across a province: by their id, exactly, then by the words of the id, the title, the OPD and
the category, ranked by the database's own full-text search (SQLite FTS5's bm25, PostgreSQL's `ts_rank`; see
migration 0009) among the newest `RANKED_WINDOW` matches. Every word must match, each as a prefix ("jal" finds
"jalan")."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from store.history.areas import regency_codes, within
from store.history.models import ServiceRequest
from store.history.open_requests import case_of

MAX_WORDS = 8  # a longer query is cut: nobody types more, and each word costs a posting-list scan
SEARCH_LIMIT = 50
# Across a province, a common word matches hundreds of thousands of requests: the ranking reads the newest this
# many matches (the rest are older than anything a visitor asks about, and a longer query finds them).
RANKED_WINDOW = 2_000
_WORD = re.compile(r"[^\W_]+")
# Whole rows, in rank order: asking for them again by key afterwards would cost a scan on SQLite (row values).
# The window is taken within the area (its regencies, `store.history.areas`): provinces share the database, and
# another's newer matches must not push a province's own out (the index walks its matches newest first and stops
# once the window is full).
_SQLITE = text(
    "SELECT sr.* FROM (SELECT request_search.rowid AS id, bm25(request_search) AS score FROM request_search "
    "JOIN service_requests inside ON inside.rowid = request_search.rowid "
    "WHERE request_search MATCH :match AND inside.regency IN :codes "
    "ORDER BY request_search.rowid DESC LIMIT :window) AS m "
    "JOIN service_requests sr ON sr.rowid = m.id "
    "ORDER BY m.score, sr.received_at DESC LIMIT :limit"
).bindparams(bindparam("codes", expanding=True))
_POSTGRES = text(
    "SELECT * FROM (SELECT * FROM service_requests "
    "WHERE search @@ to_tsquery('simple', :match) AND regency IN :codes ORDER BY received_at DESC LIMIT :window) AS m "
    "ORDER BY ts_rank(search, to_tsquery('simple', :match)) DESC, received_at DESC LIMIT :limit"
).bindparams(bindparam("codes", expanding=True))


def query_words(query: str) -> list[str]:
    """The words of a query as the index has them: letters and digits, lower case, at most `MAX_WORDS`."""
    return _WORD.findall(query.lower())[:MAX_WORDS]


def search_requests(session: Session, area: str, query: str, now: datetime, limit: int = SEARCH_LIMIT) -> list[dict]:
    """The requests of `area` (a province's two-digit code or a regency's) that `query` finds, best first: a request
    whose id is the query exactly, then the full-text matches. Each is a table row (`case_of`) with `exact`."""
    words = query_words(query)
    if not words:
        return []
    exact = session.scalars(
        select(ServiceRequest)
        .where(ServiceRequest.request_id == query.strip(), within(ServiceRequest.regency, area))
        .order_by(ServiceRequest.regency)
        .limit(limit)
    ).all()
    postgres = session.get_bind().dialect.name == "postgresql"
    match = " & ".join(f"{w}:*" for w in words) if postgres else " ".join(f'"{w}"*' for w in words)
    # A regency's own matches are ranked whole (its area is not in the index, so a window would lose some).
    window = RANKED_WINDOW if "." not in area else (None if postgres else -1)
    statement = select(ServiceRequest).from_statement(_POSTGRES if postgres else _SQLITE)
    params = {"match": match, "codes": regency_codes(area), "limit": limit, "window": window}
    exact_keys = {(r.regency, r.request_id) for r in exact}
    found = [r for r in session.scalars(statement, params) if (r.regency, r.request_id) not in exact_keys]
    ordered = [*exact, *found][:limit]
    return [{**case_of(r, now), "exact": r in exact} for r in ordered]
