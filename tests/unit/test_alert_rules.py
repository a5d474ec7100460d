"""Alert rules: each fires on its condition, with its severity, and clears when the condition goes."""

from __future__ import annotations

from datetime import UTC, datetime

from store.live.alerts import Alert, AlertRules, Baseline, backlog_unusual, evaluate, stored_form

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
CODE = "12.71"


def figures(open_: int = 0, overdue: int = 0, kpis: dict | None = None, **extra) -> dict:
    return {"open": open_, "overdue": overdue, "kpis": kpis or {}, **extra}


def snapshot(**regencies: dict) -> dict:
    return {"regencies": {code.replace("_", "."): f for code, f in regencies.items()}, "totals": {}}


def alerts_of(snap: dict, reference, baselines: dict | None = None) -> dict[str, Alert]:
    return {a.id: a for a in evaluate(snap, baselines or {}, reference, NOW)}


def test_no_alerts_for_a_calm_regency(reference) -> None:
    assert alerts_of(snapshot(**{"12_71": figures(open_=40, overdue=0)}), reference) == {}


def test_overdue_severity_grows_with_count_and_share(reference) -> None:
    cases = [(1, 100, "info"), (5, 100, "warning"), (3, 10, "warning"), (20, 1000, "critical"), (6, 20, "critical")]
    for overdue, open_, severity in cases:
        alert = alerts_of(snapshot(**{"12_71": figures(open_=open_, overdue=overdue)}), reference)["overdue:12.71"]
        assert alert.severity == severity, (overdue, open_)
        assert alert.kind == "overdue" and alert.regency == CODE
        assert alert.message_key == "alert.overdue"
        assert alert.params["overdue"] == overdue and alert.params["open"] == open_


def test_overdue_alert_clears_when_nothing_is_late(reference) -> None:
    assert "overdue:12.71" not in alerts_of(snapshot(**{"12_71": figures(open_=5, overdue=0)}), reference)


def test_kpi_amber_is_a_warning_and_red_is_critical(reference) -> None:
    kpis = {
        "harga_beras": {"value": 13600.0, "state": "amber", "ts": None},
        "harga_cabai": {"value": 90000.0, "state": "red", "ts": None},
        "inflasi_yoy": {"value": 2.0, "state": "ok", "ts": None},
    }
    found = alerts_of(snapshot(**{"12_71": figures(kpis=kpis)}), reference)
    assert found["kpi:12.71:harga_beras"].severity == "warning"
    assert found["kpi:12.71:harga_beras"].params["threshold"] == reference.kpis["harga_beras"].amber
    assert found["kpi:12.71:harga_cabai"].severity == "critical"
    assert found["kpi:12.71:harga_cabai"].sound
    assert "kpi:12.71:inflasi_yoy" not in found
    calm = {"harga_beras": {"value": 12000.0, "state": "ok", "ts": None}}
    assert alerts_of(snapshot(**{"12_71": figures(kpis=calm)}), reference) == {}


def test_backlog_rule_needs_all_three_conditions_and_enough_samples() -> None:
    usual = Baseline(mean=20.0, var=4.0, n=50)  # sd 2: mean + 3 sd = 26, 1.5 x mean = 30
    assert backlog_unusual(31, usual)
    assert not backlog_unusual(29, usual)  # above mean + 3 sd but not 1.5 x the mean
    assert not backlog_unusual(31, Baseline(20.0, 16.0, 50))  # sd 4: not above mean + 3 sd = 32
    assert not backlog_unusual(9, Baseline(4.0, 0.0, 50))  # not above the floor of 10
    assert not backlog_unusual(31, Baseline(20.0, 4.0, AlertRules().backlog_min_samples - 1))
    assert not backlog_unusual(31, None)


def test_backlog_alert_fires_and_clears(reference) -> None:
    baselines = {CODE: Baseline(mean=20.0, var=4.0, n=50)}
    high = alerts_of(snapshot(**{"12_71": figures(open_=35)}), reference, baselines)["backlog:12.71"]
    assert high.severity == "warning" and high.params == {"open": 35, "usual": 20.0, "sd": 2.0}
    very_high = alerts_of(snapshot(**{"12_71": figures(open_=60)}), reference, baselines)["backlog:12.71"]
    assert very_high.severity == "critical"
    assert alerts_of(snapshot(**{"12_71": figures(open_=22)}), reference, baselines) == {}


def test_a_silent_regency_gets_a_feed_alert_not_kpi_or_backlog_alerts(reference) -> None:
    stale = figures(
        open_=60,
        overdue=2,
        kpis={"harga_cabai": {"value": 90000.0, "state": "no_data", "ts": None}},
        no_data=True,
        feed={"state": "silent", "last_event_at": "2026-03-02T08:00:00+07:00"},
    )
    found = alerts_of(snapshot(**{"12_71": stale}), reference, {CODE: Baseline(20.0, 4.0, 50)})
    assert set(found) == {"overdue:12.71", "feed:12.71"}
    assert found["feed:12.71"].params == {"last_event_at": "2026-03-02T08:00:00+07:00"}


def test_alerts_come_most_severe_first_and_round_trip_in_their_stored_form(reference) -> None:
    snap = snapshot(**{"12_71": figures(open_=100, overdue=1), "12_01": figures(open_=30, overdue=25)})
    found = evaluate(snap, {}, reference, NOW)
    assert [a.id for a in found] == ["overdue:12.01", "overdue:12.71"]
    data = stored_form(found[0])
    assert data["since"] == "2026-03-02T10:00:00+07:00"
    assert Alert.from_dict(data) == found[0]


def test_baseline_update_is_an_exponentially_weighted_mean_and_variance() -> None:
    learned = Baseline(0.0, 0.0, 0)
    for value in [10, 12, 10, 12] * 50:
        learned = learned.updated(value, alpha=0.1)
    assert abs(learned.mean - 11) < 0.2
    assert 0.7 < learned.sd < 1.3
