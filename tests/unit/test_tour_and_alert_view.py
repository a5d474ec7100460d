"""The wall's tour order, alert texts in both languages, and a silent regency drawn grey as "no data"."""

from __future__ import annotations

from datetime import UTC, datetime

from dashboard.kit.alerts import alert_rows
from dashboard.pages.wall.figures import NO_DATA_COLOUR
from dashboard.pages.wall.tour import PROVINCE_STOP, sound_ids, tour_order
from dashboard.pages.wall.view import focus_view, wall_view
from dashboard.screen_model import province_model
from store.live.alerts import Alert
from store.live.cycle import Cycle
from store.live.feed_health import FeedHealth, apply_feed_state

NOW = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)  # 10:00 WIB


def _figures(open_: int = 0, overdue: int = 0, last: str | None = None) -> dict:
    return {
        "received_today": open_,
        "open": open_,
        "resolved_today": 0,
        "within_deadline_pct": None,
        "overdue": overdue,
        "median_resolve_minutes": None,
        "by_category": {},
        "by_channel": {},
        "by_opd": {},
        "kpis": {},
        "events_per_minute": 0,
        "last_event_at": last,
    }


def _snapshot(reference, busy: dict[str, int]) -> dict:
    regencies = {
        code: _figures(busy.get(code, 0), 0, NOW.isoformat() if code in busy else None) for code in reference.regencies
    }
    totals = {**_figures(sum(busy.values())), "kpis": {}}
    return {"province": "12", "as_of": NOW.isoformat(), "totals": totals, "regencies": regencies}


def _alert(kind: str, code: str, severity: str, acked: bool = False) -> Alert:
    params = (
        {"overdue": 7, "open": 20, "share_pct": 35.0} if kind == "overdue" else {"open": 40, "usual": 12.5, "sd": 2.0}
    )
    return Alert(
        f"{kind}:{code}",
        kind,
        code,
        severity,
        f"alert.{kind}",
        params,
        NOW,
        "sinta" if acked else None,
        NOW if acked else None,
    )


def test_tour_all_alternates_the_province_with_every_regency_in_code_order(reference) -> None:
    snapshot = _snapshot(reference, {})
    order = tour_order(snapshot, [], "all")
    assert len(order) == 2 * 33
    assert order[0::2] == [PROVINCE_STOP] * 33
    assert order[1::2] == sorted(reference.regencies)


def test_tour_alerts_visits_only_regencies_with_alerts_most_severe_first(reference) -> None:
    snapshot = _snapshot(reference, {})
    alerts = [
        _alert("overdue", "12.04", "warning"),
        _alert("backlog", "12.71", "critical", acked=True),
        _alert("overdue", "12.71", "info"),
        _alert("overdue", "12.75", "critical"),
        _alert("overdue", "99.99", "critical"),  # not a regency of the snapshot
    ]
    assert tour_order(snapshot, alerts, "alerts") == [
        PROVINCE_STOP, "12.75",  # critical, not acknowledged
        PROVINCE_STOP, "12.71",  # critical, acknowledged
        PROVINCE_STOP, "12.04",  # warning
    ]  # fmt: skip


def test_tour_without_alerts_or_switched_off_stays_on_the_province(reference) -> None:
    snapshot = _snapshot(reference, {})
    assert tour_order(snapshot, [], "alerts") == [PROVINCE_STOP]
    assert tour_order(snapshot, [_alert("overdue", "12.04", "critical")], "off") == [PROVINCE_STOP]


def test_alert_rows_translate_with_severity_word_icon_and_acknowledgement(reference) -> None:
    alerts = [_alert("overdue", "12.71", "critical"), _alert("backlog", "12.04", "warning", acked=True)]
    rows = alert_rows(alerts, reference, "id")
    assert rows[0]["text"] == "Kota Medan: 7 terlambat dari 20 terbuka (35%)"
    assert (rows[0]["icon"], rows[0]["severity_text"], rows[0]["colour"]) == ("⬣", "Kritis", "#eb5fa9")
    assert rows[1]["text"] == "Nias: 40 terbuka, biasanya 12,5"
    assert rows[1]["acknowledged"] and rows[1]["ack_text"] == "diakui sinta 10:00 WIB"
    english = alert_rows(alerts, reference, "en")
    assert english[0]["text"] == "Kota Medan: 7 overdue of 20 open (35%)" and english[0]["severity_text"] == "Critical"
    # Only critical, unacknowledged alerts sound, and only when the sound is on.
    assert sound_ids(alerts, enabled=True) == ["overdue:12.71"]
    assert sound_ids(alerts, enabled=False) == []


def test_feed_and_kpi_alerts_read_as_sentences(reference) -> None:
    feed = Alert(
        "feed:12.04",
        "feed",
        "12.04",
        "warning",
        "alert.feed_silent",
        {"last_event_at": "2026-03-10T08:15:00+07:00"},
        NOW,
    )
    kpi_key = next(iter(reference.kpis))
    kpi = reference.kpis[kpi_key]
    params = {"metric": kpi_key, "value": 3.5, "state": "red", "threshold": kpi.red, "unit": kpi.unit}
    kpi_alert = Alert(f"kpi:12.71:{kpi_key}", "kpi", "12.71", "critical", "alert.kpi", params, NOW)
    rows = alert_rows([feed, kpi_alert], reference, "id")
    assert rows[0]["text"] == "Nias: tanpa data sejak 08:15 WIB"
    assert rows[1]["text"].startswith(f"Kota Medan: {kpi.name_id} 3,5")
    # A percentage reads as one, like the KPI panel shows it.
    share = {"metric": "inflasi_yoy", "value": 5.3, "state": "red", "threshold": 4.5, "unit": "%"}
    inflation = Alert("kpi:12.71:inflasi_yoy", "kpi", "12.71", "critical", "alert.kpi", share, NOW)
    assert alert_rows([inflation], reference, "id")[0]["text"] == "Kota Medan: Inflasi Tahunan 5,3% (batas 4,5%)"
    # Units are written in the page's language.
    cover = {"metric": "stok_beras", "value": 9, "state": "red", "threshold": 14, "unit": "hari"}
    stock = Alert("kpi:12.71:stok_beras", "kpi", "12.71", "critical", "alert.kpi", cover, NOW)
    assert alert_rows([stock], reference, "id")[0]["text"] == "Kota Medan: Ketahanan Stok Beras 9 hari (batas 14 hari)"
    assert alert_rows([stock], reference, "en")[0]["text"] == "Kota Medan: Rice Stock Cover 9 days (limit 14 days)"


def test_a_silent_regency_is_grey_no_data_on_map_ranking_and_focus_never_good(reference) -> None:
    # 12.71 has open requests but its feed went silent; 12.04 is flowing.
    snapshot = _snapshot(reference, {"12.71": 30, "12.04": 2})
    health = {code: FeedHealth(code, "silent", None, None, None) for code in reference.regencies}
    health["12.04"] = FeedHealth("12.04", "ok", NOW, 5.0, 20.0)
    marked = apply_feed_state(snapshot, health)
    view = wall_view(marked, {"hour": [], "received": [], "resolved": []}, reference, "id")

    medan, nias = view["cells"]["12.71"], view["cells"]["12.04"]
    assert medan["value"] is None and medan["colour"] == NO_DATA_COLOUR and medan["text"] == "tanpa data"
    assert nias["value"] is not None and nias["colour"] != NO_DATA_COLOUR
    ranked = sorted(view["cells"].values(), key=lambda cell: cell["rank"])
    assert ranked[0]["code"] == "12.04"  # silent regencies sort last, never among the good or the bad
    cycle = Cycle(marked, [], {"hour": [], "received": [], "resolved": []})
    pushed = province_model(cycle, reference, "id", "all", alert_sound=False)["metrics"]["overdue_per_100k"]
    # What the page draws the map and ranking from (their texts, colours and ranks its own, by the rules above).
    assert pushed["cells"]["12.71"] is None and pushed["cells"]["12.04"] is not None

    focus = focus_view("12.71", marked["regencies"]["12.71"], [], reference, "id")
    assert focus["no_data"] and {tile["text"] for tile in focus["tiles"]} == {"tanpa data"}
    assert focus["feed_text"] == "Tanpa data · belum pernah mengirim data"
