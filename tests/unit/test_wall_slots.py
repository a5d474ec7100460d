"""The wall's slots: what each shows, and that the layout draws every slot a refresh sets."""

from __future__ import annotations

from dash import html

from dashboard.wall_slots import EMPTY, bar_rows, kpi_rows, slot_id, slot_props, ticker_line, tile_value
from dashboard.wall_view import BARS_SHOWN, TICKER_SHOWN


def _alert_row(severity: str, text: str, acknowledged: bool = False) -> dict:
    return {
        "severity": severity,
        "icon": "⬣" if severity == "critical" else "▲",
        "severity_text": "Kritis" if severity == "critical" else "Waspada",
        "colour": "#d12f8a",
        "text": text,
        "acknowledged": acknowledged,
    }


def _view(alerts: list[dict], more: str = "", categories: list | None = None) -> dict:
    return {
        "tiles": [{"key": "received_today", "text": "1.234"}],
        "kpis": [{"key": "rice_price", "text": "12.847 Rp/kg", "state": "amber", "icon": "▲"}],
        "categories": categories
        if categories is not None
        else [{"name": "Kesehatan", "text": "1.204", "fraction": 1.0}],
        "channels": [],
        "alerts": alerts,
        "alerts_more": more,
    }


def _ids(component) -> set[str]:
    """Every id in a component tree."""
    found = {component.id} if getattr(component, "id", None) else set()
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if isinstance(child, html.Span | html.Div):
            found |= _ids(child)
    return found


def test_every_slot_a_refresh_sets_is_drawn_in_the_layout() -> None:
    view = _view([_alert_row("critical", "Kota Medan: 7 terlambat")], "+3 peringatan lain (lihat /ops)")
    drawn = set()
    rows = [*kpi_rows({"rice_price": "Harga Beras"}), *bar_rows("categories"), *bar_rows("channels")]
    for component in [tile_value("received_today"), *rows]:
        drawn |= _ids(component)
    for component in ticker_line():
        drawn |= _ids(component)
    assert {slot_id(name) for name in slot_props(view, "Tidak ada", "✓ diakui")} <= drawn


def test_ticker_slots_show_alerts_in_order_hide_the_rest_and_count_the_others() -> None:
    rows = [_alert_row("critical", "Kota Medan: 7 terlambat"), _alert_row("warning", "Nias: 40 terbuka", True)]
    props = slot_props(_view(rows, "+3 peringatan lain (lihat /ops)"), "Tidak ada", "✓ diakui")
    assert props["alert:0"]["className"] == "alert severity-critical"
    assert props["alert:0:severity"] == {"text": "⬣ Kritis", "style": {"color": "#d12f8a"}}
    assert props["alert:0:text"]["text"] == "Kota Medan: 7 terlambat" and props["alert:0:ack"]["text"] == ""
    assert props["alert:1"]["className"] == "alert severity-warning acknowledged"
    assert props["alert:1:ack"]["text"] == "✓ diakui"
    assert all(props[f"alert:{i}"]["className"] == f"alert {EMPTY}" for i in range(2, TICKER_SHOWN))
    assert EMPTY in props["alerts:clear"]["className"]
    assert props["alerts:more"] == {"text": "+3 peringatan lain (lihat /ops)", "className": "alert alert-more"}


def test_ticker_without_alerts_shows_the_all_clear_line_only() -> None:
    props = slot_props(_view([]), "Tidak ada peringatan aktif", "✓ diakui")
    assert props["alerts:clear"] == {"text": "✓ Tidak ada peringatan aktif", "className": "alert state-ok"}
    assert props["alerts:more"]["className"] == f"alert alert-more {EMPTY}"
    assert all(EMPTY in props[f"alert:{i}"]["className"] for i in range(TICKER_SHOWN))


def test_bar_slots_beyond_the_bars_are_emptied_and_kpis_carry_their_state() -> None:
    bars = [{"name": "Kesehatan", "text": "1.204", "fraction": 1.0}, {"name": "Pajak", "text": "602", "fraction": 0.5}]
    props = slot_props(_view([], categories=bars), "", "")
    assert props["categories:1"]["className"] == "count-row"
    assert props["categories:1:fill"]["style"] == {"width": "50.0%"}
    assert (props["categories:1:name"]["text"], props["categories:1:value"]["text"]) == ("Pajak", "602")
    assert all(props[f"categories:{i}"]["className"] == f"count-row {EMPTY}" for i in range(2, BARS_SHOWN))
    assert all(props[f"channels:{i}:value"]["text"] == "" for i in range(BARS_SHOWN))
    assert props["kpi:rice_price:state"] == {"text": "▲", "className": "kpi-state state-amber"}
    assert props["tile:received_today"] == {"text": "1.234", "flash": True}
