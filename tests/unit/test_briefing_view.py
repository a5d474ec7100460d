"""Pure parts of the briefing and the regency page's KPIs: standing, units."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl

from dashboard.pages.briefing.view import parse_request
from dashboard.pages.regency.live import kpi_standing, kpi_standing_rows
from dashboard.pages.regency.view import kpi_figure
from store.contract.reference import load_reference

TODAY = date(2026, 11, 27)


def test_the_query_string_reproduces_the_briefing() -> None:
    reference = load_reference("12")
    args = {"regencies": "12.71,xx,12.04,12.71", "period": "range", "start": "2026-11-01", "end": "2026-11-10"}
    request = parse_request({**args, "since": "2026-10-31", "lang": "en"}, reference, TODAY)
    assert request.codes == ("12.71", "12.04") and request.complete
    assert (request.first, request.last, request.before) == (
        date(2026, 11, 1),
        date(2026, 11, 10),
        (date(2026, 10, 22), date(2026, 10, 31)),
    )
    assert parse_request(dict(parse_qsl(request.query())), reference, TODAY) == request
    fallback = parse_request({"regencies": "12.71", "period": "bogus", "lang": "fr"}, reference, TODAY)
    assert (fallback.span, fallback.lang, fallback.complete, fallback.since) == ("30d", "id", False, date(2026, 10, 28))


def test_kpi_rank_follows_the_good_direction() -> None:
    reference = load_reference("12")

    def regency(value: float | None) -> dict:
        return {"kpis": {} if value is None else {"ispu": {"value": value}, "stok_beras": {"value": value}}}

    snapshot = {
        "regencies": {"a": regency(150), "b": regency(60), "c": regency(90), "d": regency(None)},
        "totals": {"kpis": {"ispu": {"value": 90}}},
    }
    rows = {r["metric"]: r for r in kpi_standing(snapshot, "a", reference)}
    assert (rows["ispu"]["rank"], rows["ispu"]["ranked"], rows["ispu"]["state"]) == (3, 3, "amber")  # less is good
    assert rows["ispu"]["province_median"] == 90
    assert rows["stok_beras"]["rank"] == 1  # more is good
    assert rows["harga_beras"]["rank"] is None and rows["harga_beras"]["state"] is None


def test_kpi_units_follow_the_pages_language() -> None:
    reference = load_reference("12")
    stock = reference.kpis["stok_beras"]
    series = {"day": ["2026-11-26"], "mean": [40.0], "min": [38.0], "max": [43.0]}
    assert kpi_figure(series, stock, "en")["layout"]["title"]["text"] == "Rice Stock Cover (days)"
    assert kpi_figure(series, stock, "id")["layout"]["title"]["text"] == "Ketahanan Stok Beras (hari)"
    row = {"metric": "panggilan_112", "value": 16.0, "state": "ok", "amber": 40.0, "red": 80.0}
    [shown] = kpi_standing_rows([{**row, "province_median": 15.0, "rank": 3, "ranked": 33}], reference, "en")
    assert shown["name"] == "Emergency Calls (112) (calls/hour)"
