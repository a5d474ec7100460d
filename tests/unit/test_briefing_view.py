"""Pure parts of the briefing and the regency page's KPI standing."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl

from dashboard.briefing_view import parse_request
from dashboard.regency_view import kpi_standing
from store.reference import load_reference

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
