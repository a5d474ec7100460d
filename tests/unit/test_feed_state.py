"""Feed health: ok, late and silent, and a silent regency marked "no data" (grey), never good."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from store.live.feed_health import NO_DATA, FeedHealth, FeedRules, apply_feed_state, classify

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC).timestamp()
MIN = 60


def test_a_busy_feed_is_late_after_a_few_usual_gaps_and_silent_after_the_minimum() -> None:
    gap = 20.0  # an event every 20 s: late after 5 minutes (the minimum), silent after 30 minutes
    assert classify(NOW - 30, gap, NOW) == "ok"
    assert classify(NOW - 5 * MIN, gap, NOW) == "late"
    assert classify(NOW - 29 * MIN, gap, NOW) == "late"
    assert classify(NOW - 30 * MIN, gap, NOW) == "silent"


def test_a_sparse_feed_is_judged_by_its_own_usual_gap() -> None:
    gap = 20.0 * MIN  # one event every 20 minutes
    assert classify(NOW - 50 * MIN, gap, NOW) == "ok"
    assert classify(NOW - 61 * MIN, gap, NOW) == "late"
    assert classify(NOW - 119 * MIN, gap, NOW) == "late"
    assert classify(NOW - 120 * MIN, gap, NOW) == "silent"


def test_never_heard_from_is_silent_and_the_minimum_is_configurable() -> None:
    assert classify(None, None, NOW) == "silent"
    assert classify(NOW - 10 * MIN, None, NOW) == "late"
    assert classify(NOW - 10 * MIN, None, NOW, FeedRules(silent_after=timedelta(minutes=10))) == "silent"


def test_apply_feed_state_marks_a_silent_regency_no_data_and_leaves_the_input_alone() -> None:
    def kpis() -> dict:
        return {"harga_beras": {"value": 12000.0, "state": "ok", "ts": None}}

    snapshot = {
        "totals": {"open": 3},
        "regencies": {"12.71": {"open": 1, "kpis": kpis()}, "12.01": {"open": 2, "kpis": kpis()}},
    }
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    health = {
        "12.71": FeedHealth("12.71", "silent", at, 3600.0, 20.0),
        "12.01": FeedHealth("12.01", "ok", at, 5.0, 20.0),
    }
    marked = apply_feed_state(snapshot, health)
    silent, fine = marked["regencies"]["12.71"], marked["regencies"]["12.01"]
    assert silent["no_data"] is True and silent["feed"]["state"] == "silent"
    assert silent["kpis"]["harga_beras"]["state"] == NO_DATA  # never the colour of "good"
    assert fine["no_data"] is False and fine["kpis"]["harga_beras"]["state"] == "ok"
    assert marked["totals"]["silent_regencies"] == ["12.71"]
    assert snapshot["regencies"]["12.71"]["kpis"]["harga_beras"]["state"] == "ok"
    assert "no_data" not in snapshot["regencies"]["12.71"]


def test_a_regency_missing_from_the_health_report_is_no_data() -> None:
    marked = apply_feed_state({"totals": {}, "regencies": {"12.71": {"kpis": {}}}}, {})
    assert marked["regencies"]["12.71"]["no_data"] is True
