"""The wall's data from a snapshot: one pure function, checked without a browser."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dashboard
from dashboard.pages.wall.figures import (
    BAD_WHEN_HIGH,
    DESK_LATE_COLOUR,
    NEUTRAL,
    NO_DATA_COLOUR,
    metric_value,
    scale_colour,
    trend_figure,
)
from dashboard.pages.wall.view import RANKING_PER_PAGE, TICKER_SHOWN, metric_view, tour_steps, wall_view
from dashboard.push import room_for_path
from store.contract.events import to_record, validate_event
from store.contract.rooms import parse_room
from store.live.alerts import evaluate
from store.live.state import LiveState

NOW = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)  # a Tuesday, 10:00 WIB


def _request(n: int, code: str, status: str = "received", hours_ago: float = 1.0, **extra) -> dict:
    return {
        "event_id": f"e{n}-{status}",
        "type": "service_request",
        "request_id": f"r{n}",
        "regency_code": code,
        "status": status,
        "category": "kesehatan",
        "channel": "web",
        "opd": "Dinas Kesehatan",
        "ts": (NOW - timedelta(hours=hours_ago)).isoformat(),
        **extra,
    }


def _live(redis_client, reference, events) -> LiveState:
    live = LiveState(redis_client, reference)
    live.apply([to_record(validate_event(e, reference, NOW)) for e in events], NOW)
    return live


def test_view_counts_ranks_and_greys_out_regencies_without_data(redis_client, reference):
    overdue = {"sla_due": (NOW - timedelta(minutes=30)).isoformat()}
    events = [_request(i, "12.71", **overdue) for i in range(3)]
    events += [_request(10, "12.04", **overdue), _request(11, "12.04", hours_ago=2)]
    events.append(_request(11, "12.04", status="resolved", hours_ago=0.5))
    live = _live(redis_client, reference, events)
    snapshot = live.snapshot(NOW)
    alerts = evaluate(snapshot, {}, reference, NOW)
    view = wall_view(snapshot, live.hourly(NOW), reference, "id", alerts=alerts)

    tiles = {tile["key"]: tile["text"] for tile in view["tiles"]}
    assert tiles["received_today"] == "5"
    assert tiles["overdue"] == "4"
    assert tiles["resolved_today"] == "1"
    assert tiles["median_resolve_minutes"] == "1,5 jam"

    cells = view["cells"]
    assert len(cells) == 33
    assert cells["12.73"]["value"] is None and cells["12.73"]["colour"] == NO_DATA_COLOUR
    assert cells["12.73"]["text"] == "tanpa data"
    # Nias has fewer inhabitants than Medan: one overdue there weighs more per 100,000.
    ranked = [cell["code"] for cell in sorted(cells.values(), key=lambda cell: cell["rank"])]
    assert ranked[:2] == ["12.04", "12.71"]
    assert sorted(cell["rank"] for cell in cells.values()) == list(range(1, 34))
    first = view["alerts"][0]
    assert first["text"] == "Kota Medan: 3 terlambat dari 3 terbuka (100%)"
    assert (first["severity"], first["severity_text"], first["icon"]) == ("warning", "Waspada", "▲")


def test_the_ticker_shows_the_most_severe_alerts_and_counts_the_rest(redis_client, reference):
    overdue = {"sla_due": (NOW - timedelta(minutes=30)).isoformat()}
    codes = sorted(reference.regencies)[:20]
    late = [_request(n, code, **overdue) for n, code in enumerate(codes)]  # one overdue each: "info"
    medan = [_request(100 + n, "12.71", **overdue) for n in range(25)]  # "critical"
    live = _live(redis_client, reference, late + medan)
    snapshot = live.snapshot(NOW)
    alerts = evaluate(snapshot, {}, reference, NOW)
    assert len(alerts) == 21
    view = wall_view(snapshot, live.hourly(NOW), reference, "id", alerts=alerts)
    assert len(view["alerts"]) == TICKER_SHOWN
    assert view["alerts"][0]["regency"] == "12.71" and view["alerts"][0]["severity"] == "critical"
    assert view["alerts_total"] == 21  # the page counts those it cannot show


def test_view_in_english_with_another_metric(redis_client, reference):
    live = _live(redis_client, reference, [_request(i, "12.71") for i in range(1234)])
    view = wall_view(live.snapshot(NOW), live.hourly(NOW), reference, "en", "received_today")
    assert view["tiles"][0]["text"] == "1,234"
    assert view["metric_label"] == "Received today"
    assert view["cells"]["12.71"]["text"] == "1,234"
    assert view["legend"]["high"] == "1,234"


def test_metric_values_and_scale(reference):
    medan = reference.regencies["12.71"]
    quiet = {"last_event_at": None, "open": 0}
    assert metric_value(quiet, medan, "overdue") is None
    busy = {"last_event_at": "x", "open": 4, "overdue": 2, "median_resolve_minutes": 90}
    assert metric_value(busy, medan, "overdue_per_100k") == 100_000 * 2 / medan.population
    assert metric_value(busy, medan, "median_resolve_minutes") == 1.5
    assert scale_colour(0) == "#4575b4" and scale_colour(1) == "#d73027"  # fine is blue, the worst red


def test_each_metric_colours_bad_as_red_and_good_as_blue(reference):
    """The worst regency is red whichever way a metric points; a volume (received today) is neither."""
    worst, best = reference.regencies["12.71"], reference.regencies["12.01"]
    figures = {"last_event_at": "x", "received_today": 9, "median_resolve_minutes": 600}
    snapshot = {
        "regencies": {
            code: {**figures, "open": 0, "overdue": 0, "within_deadline_pct": 100.0} for code in reference.regencies
        }
    }
    snapshot["regencies"][worst.code].update(open=50, overdue=40, within_deadline_pct=0.0)
    snapshot["regencies"][best.code].update(received_today=1)
    red, blue = BAD_WHEN_HIGH[-1], BAD_WHEN_HIGH[0]
    for metric in ("overdue_per_100k", "overdue", "open", "within_deadline_pct"):
        cells = metric_view(snapshot, reference, "id", metric)["cells"]
        assert cells[worst.code]["colour"] == red and cells[worst.code]["rank"] in (1, len(cells)), metric
        assert cells[best.code]["colour"] == blue, metric
    received = metric_view(snapshot, reference, "id", "received_today")
    assert {received["cells"][code]["colour"] for code in (worst.code, best.code)} == {
        NEUTRAL[-1],
        scale_colour(1 / 9, NEUTRAL),
    }


def test_trend_figure_is_a_plain_dict():
    hourly = {"hour": ["2026-03-10T09:00+07:00", "2026-03-10T10:00+07:00"], "received": [3, 4], "resolved": [1, 2]}
    figure = trend_figure(hourly, "id", 51)
    assert isinstance(figure, dict)
    assert figure["data"][0]["y"] == [3, 4] and figure["data"][1]["line"]["dash"] == "dash"
    assert figure["layout"]["font"]["size"] == 51


def test_tour_covers_every_regency_and_indicator():
    steps = tour_steps(33, 10)
    assert steps.count("trend") == 1
    assert len([s for s in steps if s.startswith("ranking:")]) * RANKING_PER_PAGE >= 33


def test_rooms_follow_the_page():
    assert room_for_path("/") == "province:id"
    assert room_for_path("/", "en") == "province:en"
    assert room_for_path("/", "xx") == "province:id"  # an unknown language is the default
    assert room_for_path("/kabkota/12.71", "en") == "regency:12.71:en"
    assert room_for_path("/ops") is None
    assert parse_room("regency:12.71:en") == ("12.71", "en") and parse_room("province:id") == (None, "id")
    assert parse_room("regency:12.71") is None and parse_room("province:fr") is None


def test_the_desk_pages_write_late_figures_in_the_maps_red():
    """ops.css's `.late` is the colour the Python side names (`DESK_LATE_COLOUR`): one step of the map's scale."""
    css = (Path(dashboard.__file__).parent / "assets" / "ops.css").read_text()
    late = re.search(r"\.late \{\s*color: (#[0-9a-f]{6});", css)
    assert late and late.group(1) == DESK_LATE_COLOUR and DESK_LATE_COLOUR in BAD_WHEN_HIGH
