"""Hexagon layout, legibility minimum, texts and number formats of the wall."""

from __future__ import annotations

import csv

import pytest

from dashboard.i18n import lang_from_search, t
from dashboard.i18n.formats import fmt_number
from dashboard.pages.wall.hexmap import layout_hexagons
from dashboard.pages.wall.legibility import min_font_px, min_font_vh
from dashboard.pages.wall.map_labels import short_labels
from store.contract.paths import DATA_DIR


def _centroids(reference):
    return {r.code: (r.lat, r.lon) for r in reference.regencies.values()}


def test_every_regency_gets_its_own_hexagon(reference):
    layout = layout_hexagons(_centroids(reference))
    assert set(layout.tiles) == set(reference.regencies)
    cells = {(tile.col, tile.row) for tile in layout.tiles.values()}
    assert len(cells) == len(reference.regencies) == 33
    assert all(0 < tile.x < layout.width and 0 < tile.y < layout.height for tile in layout.tiles.values())


def test_hexagons_keep_north_up_and_west_left(reference):
    tiles = layout_hexagons(_centroids(reference)).tiles
    medan, padangsidimpuan, nias = tiles["12.71"], tiles["12.77"], tiles["12.04"]
    assert medan.y < padangsidimpuan.y  # Medan lies north
    assert nias.x < medan.x  # Nias lies west


def test_all_514_regencies_of_indonesia_are_placed():
    with (DATA_DIR / "regencies.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    layout = layout_hexagons({r["code"]: (float(r["lat"]), float(r["lon"])) for r in rows})
    assert len(layout.tiles) == len(rows) == 514
    assert len({(tile.col, tile.row) for tile in layout.tiles.values()}) == 514
    labels = short_labels({r["code"]: r["name"] for r in rows})
    assert len(set(labels.values())) == 514


def test_short_labels_are_three_distinct_capitals(reference):
    labels = short_labels({r.code: r.short_name for r in reference.regencies.values()})
    assert labels["12.71"] == "MDN"
    assert labels["12.07"] == "DLS"
    assert all(len(label) == 3 and label.isupper() for label in labels.values())
    assert len(set(labels.values())) == 33


def test_minimum_font_follows_the_viewing_geometry():
    assert 48 <= min_font_px() <= 53  # 5 m from a 55-inch 1080p screen: about 50 px
    assert min_font_px(5, 55, 3840, 2160) == pytest.approx(2 * min_font_px(), abs=1)
    assert min_font_px(3, 55, 1920, 1080) < min_font_px(5, 55, 1920, 1080)
    assert min_font_px(5, 85, 3840, 2160) < min_font_px(5, 55, 3840, 2160)
    assert min_font_vh(5, 55, 1920, 1080) == pytest.approx(min_font_vh(5, 55, 3840, 2160), abs=0.05)


def test_numbers_follow_the_locale():
    assert fmt_number(1234.5, "id", 1) == "1.234,5"
    assert fmt_number(1234.5, "en", 1) == "1,234.5"
    assert fmt_number(1234, "id") == "1.234"
    assert fmt_number(None, "id") == "–"


def test_language_comes_from_the_query_string():
    assert lang_from_search("?lang=en") == "en"
    assert lang_from_search("") == "id"
    assert lang_from_search("?lang=fr") == "id"
    assert t("no_data", "id") == "tanpa data"
    assert t("no_data", "en") == "no data"
