"""The admin command line on a real SQLite database."""

from __future__ import annotations

import io

import pytest

import store.access.accounts as auth
from store.access.accounts import verify_password, verify_token
from store.access.admin import main
from store.access.models import AuditLog
from store.history.db import make_sessionmaker

pytestmark = pytest.mark.usefixtures("cheap_password_hashing")


def test_admin_cli_creates_users_issues_and_revokes_tokens(tmp_path, monkeypatch, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-password\n"))
    assert main(["create-admin", "kepala", "--password-stdin"], url=url) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("another-password\n"))
    assert main(["create-user", "pejabat", "--role", "official", "--password-stdin"], url=url) == 0
    capsys.readouterr()
    assert main(["issue-token", "lobby", "--kind", "wall"], url=url) == 0
    token = capsys.readouterr().out.strip()
    assert main(["issue-token", "lobby", "--kind", "wall"], url=url) == 2  # one active token per name
    assert main(["list-tokens"], url=url) == 0
    listing = capsys.readouterr().out
    assert "lobby" in listing and token not in listing
    sessions = make_sessionmaker(url)
    with sessions.begin() as db:
        assert verify_password(db, "kepala", "s3cret-password").role == "admin"
        assert verify_token(db, "wall", token) is not None
    assert main(["revoke-token", "lobby"], url=url) == 0
    assert main(["revoke-token", "lobby"], url=url) == 1
    with sessions.begin() as db:
        assert verify_token(db, "wall", token) is None
        actions = [row.action for row in db.query(AuditLog)]
    assert actions.count("user.create") == 2 and "token.issue" in actions and "token.revoke" in actions


def test_bootstrap_local_creates_once_and_repeats_itself(tmp_path) -> None:
    from store.access.local import LOCAL_ACCESS_FILE, LOCAL_WALL_TOKEN, bootstrap_local
    from store.history.db import upgrade

    url = f"sqlite:///{tmp_path / 'local.db'}"
    upgrade(url)
    sessions = make_sessionmaker(url)
    with sessions.begin() as db:
        first = bootstrap_local(db, tmp_path)
    with sessions.begin() as db:
        assert bootstrap_local(db, tmp_path) == first
        assert verify_password(db, "admin", first.admin_password) is not None
        auth.revoke_token(db, LOCAL_WALL_TOKEN, "wall")
    with sessions.begin() as db:
        again = bootstrap_local(db, tmp_path)
        assert again.wall_token != first.wall_token and verify_token(db, "wall", again.wall_token)
    assert (tmp_path / LOCAL_ACCESS_FILE).stat().st_mode & 0o077 == 0
