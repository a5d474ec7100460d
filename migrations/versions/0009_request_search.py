"""Full-text search of the requests, in the database's own engine: the request id, the words of the title, the
OPD and the category.

SQLite: an FTS5 table over `service_requests` (external content, so the text is not stored twice) kept by
triggers on every insert, update and delete, and filled from the rows already there. PostgreSQL: a stored
generated `tsvector` column with a GIN index. Both tokenise alike (words split at anything not a letter or a
digit, case folded, no stemming; FTS5 also folds diacritics), so a query finds the same requests on either.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = "request_id, title, opd, category"
# The category is a key ("jalan_jembatan"): indexed as its words.
SQLITE_VALUES = "{row}.request_id, {row}.title, {row}.opd, replace({row}.category, '_', ' ')"
# PostgreSQL's parser would read "MDN-0001" as a word and a signed integer: every run of other characters becomes
# a space first, as FTS5's unicode61 tokeniser splits.
POSTGRES_DOCUMENT = (
    "to_tsvector('simple', regexp_replace(request_id || ' ' || coalesce(title, '') || ' ' || opd || ' ' || category, "
    "'[^[:alnum:]]+', ' ', 'g'))"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE service_requests ADD COLUMN search tsvector GENERATED ALWAYS AS ({POSTGRES_DOCUMENT}) STORED"
        )
        op.execute("CREATE INDEX ix_service_requests_search ON service_requests USING gin (search)")
        return
    op.execute(
        f"CREATE VIRTUAL TABLE request_search USING fts5({COLUMNS}, content='service_requests', "
        "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"
    )
    new, old = SQLITE_VALUES.format(row="new"), SQLITE_VALUES.format(row="old")
    op.execute(
        "CREATE TRIGGER request_search_insert AFTER INSERT ON service_requests BEGIN "
        f"INSERT INTO request_search(rowid, {COLUMNS}) VALUES (new.rowid, {new}); END"
    )
    op.execute(
        "CREATE TRIGGER request_search_delete AFTER DELETE ON service_requests BEGIN "
        f"INSERT INTO request_search(request_search, rowid, {COLUMNS}) VALUES ('delete', old.rowid, {old}); END"
    )
    op.execute(
        f"CREATE TRIGGER request_search_update AFTER UPDATE OF {COLUMNS} ON service_requests BEGIN "
        f"INSERT INTO request_search(request_search, rowid, {COLUMNS}) VALUES ('delete', old.rowid, {old}); "
        f"INSERT INTO request_search(rowid, {COLUMNS}) VALUES (new.rowid, {new}); END"
    )
    op.execute(
        f"INSERT INTO request_search(rowid, {COLUMNS}) "
        f"SELECT rowid, {SQLITE_VALUES.format(row='service_requests')} FROM service_requests"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_service_requests_search")
        op.execute("ALTER TABLE service_requests DROP COLUMN search")
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER request_search_{trigger}")
    op.execute("DROP TABLE request_search")
