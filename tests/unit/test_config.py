"""Settings from the environment: every value is parsed at start, and a bad one names its variable."""

from __future__ import annotations

import pytest

from store.contract.settings import Settings
from store.contract.shifts import parse_shifts

SWITCHES = ("DEMO", "COOKIE_SECURE", "ALERT_SOUND")


@pytest.mark.parametrize("name", SWITCHES)
@pytest.mark.parametrize(
    ("value", "on"),
    [
        ("1", True),
        ("TRUE", True),
        ("Yes", True),
        ("on", True),
        ("0", False),
        ("False", False),
        ("NO", False),
        ("Off", False),
        (" false ", False),
    ],
)
def test_switches_take_any_case(name: str, value: str, on: bool) -> None:
    field = name.lower()
    assert getattr(Settings.from_env({name: value}), field) is on


@pytest.mark.parametrize("name", SWITCHES)
@pytest.mark.parametrize("value", ["", "2", "enabled", "nein"])
def test_a_switch_that_is_not_on_or_off_stops_the_start(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: .*1/0, true/false, yes/no, on/off"):
        Settings.from_env({name: value})


def test_switch_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.demo and not settings.cookie_secure and not settings.alert_sound


def test_shifts_are_parsed_at_start() -> None:
    assert Settings.from_env({"SHIFTS": "06-18,18-06"}).shifts == parse_shifts("06-18,18-06")
    assert [s.name for s in Settings.from_env({}).shifts] == ["07-15", "15-23", "23-07"]
    assert Settings().shifts == Settings.from_env({}).shifts


@pytest.mark.parametrize(
    ("value", "problem"),
    [("07-15,15-23", "must cover the 24 hours"), ("07-25,25-07", "out of range"), ("day", "not of the form HH-HH")],
)
def test_bad_shifts_stop_the_start(value: str, problem: str) -> None:
    with pytest.raises(ValueError, match=rf"^SHIFTS: .*{problem}"):
        Settings.from_env({"SHIFTS": value})


@pytest.mark.parametrize(
    ("name", "value"),
    [("PORT", "eighty"), ("TOUR_MODE", "sometimes"), ("WALL_RESOLUTION", "1080p"), ("WALL_DISTANCE_M", "far")],
)
def test_other_bad_values_name_their_variable(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: "):
        Settings.from_env({name: value})


def test_a_bad_token_list_is_named_without_repeating_the_tokens() -> None:
    with pytest.raises(ValueError, match=r"^INGEST_TOKENS: ") as raised:
        Settings.from_env({"INGEST_TOKENS": "demo:s3cret-token,broken"})
    assert "s3cret-token" not in str(raised.value)


def test_no_secret_is_in_the_repr() -> None:
    settings = Settings.from_env(
        {
            "SECRET_KEY": "sk-3f9a",
            "ADMIN_PASSWORD": "pw-77c1",
            "INGEST_TOKENS": "medan:ing-5d21",
            "WALL_TOKENS": "lobby:wall-90be",
            "DATABASE_URL": "postgresql+psycopg://scc:db-41aa@db.internal/scc",
            "REDIS_URL": "redis://:rd-0c3e@cache.internal:6379/0",
        }
    )
    text = repr(settings) + str(settings)
    for secret in ("sk-3f9a", "pw-77c1", "ing-5d21", "wall-90be", "db-41aa", "rd-0c3e"):
        assert secret not in text
    assert "province='12'" in text  # the rest still reads


def test_the_tick_rate_and_app_processes_are_read_and_a_bad_rate_refused() -> None:
    settings = Settings.from_env({"TICKS_PER_SECOND": "2.5", "APP_PROCESSES": "3"})
    assert (settings.ticks_per_second, settings.app_processes) == (2.5, 3)
    assert Settings.from_env({}).ticks_per_second == 10
    for bad in ("0", "-1", "100"):
        with pytest.raises(ValueError, match=r"^TICKS_PER_SECOND: "):
            Settings.from_env({"TICKS_PER_SECOND": bad})


def test_a_tour_shorter_than_three_seconds_is_refused_not_clamped() -> None:
    assert Settings.from_env({"TOUR_SECONDS": "3"}).tour_seconds == 3
    with pytest.raises(ValueError, match=r"^TOUR_SECONDS: .*greater than or equal to 3"):
        Settings.from_env({"TOUR_SECONDS": "2"})


def test_secrets_are_secret_strings_and_urls_stay_plain() -> None:
    settings = Settings.from_env({"SECRET_KEY": "sk-1", "ADMIN_PASSWORD": "pw-1", "REDIS_URL": "redis://h:6379/0"})
    assert settings.secret_key.get_secret_value() == "sk-1" and str(settings.admin_password) == "**********"
    assert settings.redis_url == "redis://h:6379/0"


def test_only_from_env_reads_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("PORT", "9123")
    assert Settings().port == 8050  # built directly: the defaults and what it is given
    assert Settings.from_env().port == 9123


def test_the_home_province_must_be_among_those_served() -> None:
    assert Settings.from_env({"PROVINCES": "35,12"}).provinces == ("12", "35")
    assert Settings.from_env({"PROVINCES": "35,12"}).province == "12"
    assert Settings.from_env({"PROVINCE": "35"}).provinces == ("35",)
    with pytest.raises(ValueError, match=r"PROVINCE 11 is not among PROVINCES \(12, 35\)"):
        Settings.from_env({"PROVINCES": "12,35", "PROVINCE": "11"})
    with pytest.raises(ValueError, match=r"^PROVINCES: 99: not a province code"):
        Settings.from_env({"PROVINCES": "99"})
