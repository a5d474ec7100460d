"""Two app processes starting at once on one database (APP_PROCESSES=2, a rolling restart) both store the
configured tokens and the admin: neither may fail to start, and each token is stored once. Real SQLite, and
PostgreSQL with DATABASE_URL."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from dashboard.app import provision_at_start
from store.access.accounts import provision_from_settings
from store.access.models import ApiToken, User
from store.contract.settings import Settings
from store.history.db import write_now

pytestmark = pytest.mark.usefixtures("cheap_password_hashing")

SETTINGS = Settings(
    wall_tokens={"wall-token-of-the-lobby-0123456789abcdef": "lobby"},
    ingest_tokens={"ingest-token-of-kota-medan-0123456789": "medan"},
    admin_password="admin-pass-123",
)
# Long enough for the second process to have read the tables and be waiting on the first one's write.
SECOND_PROCESS_READS = 0.5


def test_a_process_starting_while_another_provisions_finds_the_tokens_stored(db_url, sessions) -> None:
    first = sessions()
    first.begin()
    write_now(first)  # as the first process does: its write lock taken, its tokens inserted, not yet committed
    provision_from_settings(first, SETTINGS)
    first.flush()
    failures: list[BaseException] = []

    def second_process() -> None:
        try:
            provision_at_start(db_url, SETTINGS)
        except BaseException as error:
            failures.append(error)

    second = threading.Thread(target=second_process)
    second.start()
    time.sleep(SECOND_PROCESS_READS)
    first.commit()
    first.close()
    second.join(timeout=30)

    assert not second.is_alive(), "the second process hung on the first one's provisioning"
    assert failures == []
    with sessions() as db:
        active = db.execute(
            select(ApiToken.kind, ApiToken.name, func.count())
            .where(ApiToken.revoked_at.is_(None))
            .group_by(ApiToken.kind, ApiToken.name)
        ).all()
        assert sorted(active) == [("ingest", "medan", 1), ("wall", "lobby", 1)]
        assert db.scalar(select(func.count()).select_from(User)) == 1
