"""A notice's link on the real app (SQLite, real Redis): opening it shows the escalation and acknowledges nothing
(mail scanners open links); confirming acknowledges it once, in the recipient's name; a forged link is unknown."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade
from store.notices.links import ack_link
from store.notices.models import Escalation
from tests.support.clock import freeze_clock
from wsgi import create_server

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


def test_opening_shows_confirming_acknowledges(tmp_path, redis_client, redis_url, monkeypatch) -> None:
    freeze_clock(monkeypatch, NOW)
    settings = Settings(redis_url=redis_url, database_url=f"sqlite:///{tmp_path / 'app.db'}", secret_key="acks")
    upgrade(settings.sqlalchemy_url())
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    with sessions.begin() as session:
        escalation = Escalation(
            key="12.71:MDN-1:deadline_breached",
            province="12",
            regency="12.71",
            request_id="MDN-1",
            opd="Dinas Kesehatan",
            rule="deadline_breached",
            tier="kominfo",
            raised_at=NOW,
            climbs_at=NOW,
        )
        session.add(escalation)
    client = create_server(settings, redis_client).server.test_client()
    path = ack_link("acks", "", escalation.id, "kominfo@medan.example")

    opened = client.get(path)
    page = opened.get_data(as_text=True)
    assert opened.status_code == 200 and "12.71:MDN-1" in page and "tenggat penyelesaian terlewati" in page
    assert "Diskominfo kab/kota" in page and "<script" not in page
    with sessions() as session:
        assert session.get(Escalation, escalation.id).acknowledged_at is None  # opening it acknowledges nothing

    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(path).status_code == 400  # a form without its CSRF token is refused
    confirmed = client.post(path, data={"csrf_token": token}).get_data(as_text=True)
    assert "Ditandai sudah ditangani oleh kominfo@medan.example pada 26-11-2026 10:00 WIB" in confirmed
    again = client.post(path, data={"csrf_token": token}).get_data(as_text=True)
    assert "Sudah ditandai ditangani oleh kominfo@medan.example" in again
    with sessions() as session:
        stored = session.get(Escalation, escalation.id)
        assert (stored.acknowledged_by, stored.climbs_at) == ("kominfo@medan.example", None)

    forged = ack_link("not-our-secret", "", escalation.id, "someone@example")
    assert client.get(forged).status_code == 404 and client.get("/notices/ack/x").status_code == 404
    sessions.kw["bind"].dispose()
