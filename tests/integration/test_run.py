"""`make run`'s preparation (run.py): the local admin, ADMIN_PASSWORD, and the banner's addresses."""

from __future__ import annotations

import json
import socket

import pytest

import run
import store.access.accounts as auth
from store.access.accounts import provision_from_settings, verify_password
from store.access.local import LOCAL_ACCESS_FILE, LocalAccess
from store.access.models import AuditLog, Role, User
from store.contract.settings import Settings
from store.history.db import make_sessionmaker

PASSWORD = "from-the-environment"
ENV = {"INGEST_TOKENS": "demo:ingest-token"}


pytestmark = pytest.mark.usefixtures("cheap_password_hashing")


def admins(db_url: str) -> list[str]:
    sessions = make_sessionmaker(db_url)
    with sessions.begin() as db:
        names = [user.username for user in db.query(User).filter_by(role="admin")]
    sessions.kw["bind"].dispose()
    return names


def signs_in(db_url: str, password: str) -> bool:
    sessions = make_sessionmaker(db_url)
    with sessions.begin() as db:
        user = verify_password(db, "admin", password)
    sessions.kw["bind"].dispose()
    return user is not None


def test_admin_password_is_admins_password_under_make_run(db_url, tmp_path, capsys) -> None:
    settings = Settings(database_url=db_url, admin_password=PASSWORD)
    access = run.local_access(settings, tmp_path)
    assert access.admin_from_env and access.admin_password is None
    assert signs_in(db_url, PASSWORD) and admins(db_url) == ["admin"]
    assert json.loads((tmp_path / LOCAL_ACCESS_FILE).read_text())["admin_password"] is None
    sessions = make_sessionmaker(db_url)
    with sessions.begin() as db:  # then the app starts: the same provisioning finds the admin made above
        provision_from_settings(db, settings)
        assert [row.action for row in db.query(AuditLog).filter_by(action="user.create")] == ["user.create"]
    sessions.kw["bind"].dispose()
    run.banner(settings, ENV, access, "127.0.0.1")
    out = capsys.readouterr().out
    assert "admin / (the password in ADMIN_PASSWORD)" in out and PASSWORD not in out


def test_without_admin_password_make_run_generates_and_prints_one(db_url, tmp_path, capsys) -> None:
    settings = Settings(database_url=db_url)
    first = run.local_access(settings, tmp_path)
    assert first.admin_password and not first.admin_from_env and signs_in(db_url, first.admin_password)
    assert run.local_access(settings, tmp_path) == first
    run.banner(settings, ENV, first, "127.0.0.1")
    assert f"admin / {first.admin_password} -> http://127.0.0.1:8050/masuk" in capsys.readouterr().out


def test_the_admin_make_run_generated_takes_admin_password_later(db_url, tmp_path) -> None:
    generated = run.local_access(Settings(database_url=db_url), tmp_path).admin_password
    access = run.local_access(Settings(database_url=db_url, admin_password=PASSWORD), tmp_path)
    assert access == LocalAccess(access.wall_token, None, admin_from_env=True)
    assert signs_in(db_url, PASSWORD) and not signs_in(db_url, generated)


def test_an_admin_with_another_password_is_left_alone_and_said_so(db_url, tmp_path, capsys) -> None:
    sessions = make_sessionmaker(db_url)
    with sessions.begin() as db:
        auth.create_user(db, "admin", "chosen-by-someone", Role.ADMIN)
    sessions.kw["bind"].dispose()
    settings = Settings(database_url=db_url, admin_password=PASSWORD)
    access = run.local_access(settings, tmp_path)
    assert not access.admin_from_env and signs_in(db_url, "chosen-by-someone")
    run.banner(settings, ENV, access, "127.0.0.1")
    assert "ADMIN_PASSWORD applies only while there is no active admin" in capsys.readouterr().out


ACCESS = LocalAccess("wall-token", "generated-password")


def test_banner_shows_the_address_bound(capsys) -> None:
    run.banner(Settings(port=9000), ENV, ACCESS, "10.1.2.3")
    out = capsys.readouterr().out
    assert "Command centre: http://10.1.2.3:9000/" in out and "http://10.1.2.3:9000/?token=wall-token" in out
    assert "127.0.0.1" not in out


@pytest.mark.parametrize(("host", "local"), [("0.0.0.0", "http://127.0.0.1:9000"), ("::", "http://[::1]:9000")])
def test_banner_on_all_interfaces_names_this_machine_too(host: str, local: str, capsys) -> None:
    run.banner(Settings(port=9000), ENV, ACCESS, host)
    out = capsys.readouterr().out
    assert f"Command centre: {local}/" in out and f"{local}/masuk" in out
    assert f"Other machines: http://{socket.gethostname()}:9000/ (HOST={host}: all interfaces)" in out


def test_banner_of_several_provinces_names_the_national_wall(capsys) -> None:
    run.banner(Settings(port=9000, province="12", provinces=("12", "35")), ENV, ACCESS, "127.0.0.1")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:9000/nasional/?token=wall-token" in out and "/p/<code>/ for 12, 35" in out
