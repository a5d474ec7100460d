"""The wall's map data: every province drawn from data/maps with each of its regencies, an official file of one's
own converted the same way, and names and codes that tell a kabupaten from the city of the same name."""

from __future__ import annotations

import csv
import json

import pytest

from dashboard.pages.wall.map_labels import captions, short_labels
from store.contract.map_shapes import MAPS_DIR, VIEW_WIDTH, drawing_from_geojson, province_drawing
from store.contract.paths import DATA_DIR
from store.contract.reference import load_reference

PROVINCES = [row["code"] for row in csv.DictReader((DATA_DIR / "provinces.csv").open(encoding="utf-8"))]


@pytest.mark.parametrize("province", PROVINCES)
def test_every_province_has_its_map_with_every_regency(province):
    reference = load_reference(province)
    drawing = province_drawing(province, tuple(reference.regencies))
    assert set(drawing["regencies"]) == set(reference.regencies)
    assert max(drawing["width"], drawing["height"]) == VIEW_WIDTH
    assert "cahyadsn/wilayah_boundaries (MIT" in drawing["attribution"]
    for code, region in drawing["regencies"].items():
        x0, y0, x1, y1 = region["box"]
        assert region["d"].startswith("M") and region["d"].endswith("Z"), code
        assert x0 <= region["anchor"][0] <= x1 and y0 <= region["anchor"][1] <= y1, code
        assert region["room"] > 0, code
    codes = short_labels({c: r.short_name for c, r in reference.regencies.items()})
    assert len(set(codes.values())) == len(codes)  # unique within the province


def test_the_maps_are_small_enough_to_send_with_the_page():
    sizes = [path.stat().st_size for path in MAPS_DIR.glob("regencies_*.json")]
    assert len(sizes) == 38 and max(sizes) < 60_000


def _square(code: str, lon: float, lat: float, size: float) -> dict:
    ring = [[lon, lat], [lon, lat + size], [lon + size, lat + size], [lon + size, lat], [lon, lat]]
    return {"type": "Feature", "properties": {"code": code}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_an_official_file_of_ones_own_is_drawn_the_same_way():
    geojson = {
        "type": "FeatureCollection",
        "features": [_square("12.71", 98.6, 3.5, 0.2), _square("12.04", 97.5, 1.0, 0.4)],
    }
    drawing = drawing_from_geojson(geojson, ["12.71", "12.04"], "batas.geojson")
    medan, nias = drawing["regencies"]["12.71"], drawing["regencies"]["12.04"]
    assert medan["anchor"][1] < nias["anchor"][1]  # north is up
    assert nias["anchor"][0] < medan["anchor"][0]  # west is left
    assert nias["room"] == pytest.approx(2 * medan["room"], rel=0.05)
    with pytest.raises(ValueError, match=r"12\.01"):
        drawing_from_geojson(geojson, ["12.71", "12.01"], "batas.geojson")


def test_a_kabupaten_and_a_kota_of_one_name_are_told_apart_everywhere():
    with (DATA_DIR / "regencies.csv").open(encoding="utf-8") as f:
        provinces = {row["province"] for row in csv.DictReader(f)}
    paired = []
    for province in sorted(provinces):
        reference = load_reference(province)
        names = [r.short_name for r in reference.regencies.values()]
        assert len(set(names)) == len(names), province
        paired += [r for r in reference.regencies.values() if r.short_name.startswith("Kab. ")]
    assert len(paired) == 25 and len({r.code[:2] for r in paired}) == 10
    jatim = load_reference("35").regencies
    assert (jatim["35.06"].short_name, jatim["35.71"].short_name) == ("Kab. Kediri", "Kota Kediri")
    assert jatim["35.02"].short_name == "Ponorogo"  # no city of that name: the name alone
    assert load_reference("31").regencies["31.71"].short_name == "Kota Jakarta Pusat"
    caption = captions(jatim)
    assert (caption["35.06"], caption["35.71"], caption["35.02"]) == ("KAB.", "KOTA", "")


def test_map_files_keep_their_attribution_file():
    notice = (MAPS_DIR / "README.md").read_text(encoding="utf-8")
    assert "MIT" in notice and "Cahya DSN" in notice
    assert json.loads((MAPS_DIR / "regencies_12.json").read_text(encoding="utf-8"))["attribution"]
