"""A province's regency boundaries in the wall's drawing format: projected, simplified SVG paths with label anchors.

The wall draws the province as SVG in the page (`dashboard/assets/wall_map.js`), so the format is what drawing
needs and nothing else: a viewBox `width` wide (x east, y south), one path per regency, and for each the point
farthest inside its largest part (`anchor`, where a label reads best) with the radius of the circle it can hold
(`room`), which tells the page whether the regency is big enough to carry its own label or needs a marker.

`data/maps/regencies_PP.json` are written by `python -m store.contract.map_shapes SOURCE_DIR` from GeoJSON boundaries
(see data/MAPS.md for the source and its licence); `BOUNDARIES_GEOJSON` goes through the same conversion at start.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from shapely import MultiPolygon, Polygon, box, make_valid, set_precision
from shapely.affinity import affine_transform
from shapely.geometry import shape
from shapely.ops import polylabel

from store.contract.paths import DATA_DIR
from store.contract.provinces import NATIONAL

MAPS_DIR = DATA_DIR / "maps"
VIEW_WIDTH = 1000.0  # the longer side of the viewBox; a 4K map panel is about 2,000 px, so a unit is 2 px
TOLERANCE = 0.5  # simplification, in viewBox units: under a pixel at 4K
MIN_PART_AREA = 1.0  # islands smaller than a square unit vanish (never a regency's largest part)
OUTLYING = 0.12
ATTRIBUTION = (
    "Batas wilayah: cahyadsn/wilayah_boundaries (MIT, © 2024 Cahya DSN), "
    "via ../shared/data/boundaries; diproyeksikan dan disederhanakan untuk layar"
)


def _polygons(geometry: Any) -> list[Polygon]:
    valid = geometry if geometry.is_valid else make_valid(geometry, method="structure")
    if isinstance(valid, Polygon):
        return [] if valid.is_empty else [valid]
    return [p for part in getattr(valid, "geoms", []) for p in _polygons(part)]


def _projection(bounds: tuple[float, float, float, float]) -> tuple[list[float], float, float]:
    """Equirectangular at the province's middle latitude, scaled so the longer side is VIEW_WIDTH units."""
    west, south, east, north = bounds
    squeeze = math.cos(math.radians((north + south) / 2))
    k = VIEW_WIDTH / max((east - west) * squeeze, north - south)
    # x = k * squeeze * (lon - west); y = k * (north - lat)
    matrix = [k * squeeze, 0.0, 0.0, -k, -k * squeeze * west, k * north]
    return matrix, round(k * squeeze * (east - west), 1), round(k * (north - south), 1)


def _near_the_province(parts: Mapping[str, list[Polygon]]) -> dict[str, list[Polygon]]:
    """Each regency's parts near the province's main mass (the box of every regency's largest part, widened by
    OUTLYING of its span): far islets (Masalembu, Kangean...) would shrink the whole map to make room for specks.
    A regency's largest part always stays."""
    largest = {code: max(polygons, key=lambda p: p.area) for code, polygons in parts.items()}
    west, south, east, north = MultiPolygon(list(largest.values())).bounds
    margin = OUTLYING * max(east - west, north - south)
    core = box(west - margin, south - margin, east + margin, north + margin)
    return {code: [p for p in polygons if p is largest[code] or core.contains(p)] for code, polygons in parts.items()}


def _ring_path(coords: Any) -> str:
    points = list(coords)[:-1]
    return "M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z"


def _drawing(polygons: list[Polygon]) -> dict[str, Any]:
    largest = max(polygons, key=lambda p: p.area)
    kept = [p for p in polygons if p is largest or p.area >= MIN_PART_AREA]
    path = "".join(
        _ring_path(ring.coords) for p in kept for ring in (p.exterior, *p.interiors) if len(ring.coords) >= 4
    )
    anchor = polylabel(largest, tolerance=0.2)
    x0, y0, x1, y1 = (round(v, 1) for v in MultiPolygon(kept).bounds)
    return {
        "d": path,
        "anchor": [round(anchor.x, 1), round(anchor.y, 1)],
        "room": round(largest.exterior.distance(anchor), 1),
        "box": [x0, y0, x1, y1],
    }


def drawing_from_geojson(geojson: Mapping[str, Any], codes: Iterable[str], attribution: str) -> dict[str, Any]:
    """The drawing of the regencies `codes` from a GeoJSON FeatureCollection keyed by `properties.code`."""
    wanted = set(codes)
    features = {f["properties"]["code"]: shape(f["geometry"]) for f in geojson["features"]}
    missing = sorted(wanted - features.keys())
    if missing:
        raise ValueError(f"boundaries: no feature with properties.code {', '.join(missing)}")
    parts = _near_the_province({code: _polygons(features[code]) for code in sorted(wanted)})
    matrix, width, height = _projection(MultiPolygon([p for polygons in parts.values() for p in polygons]).bounds)
    regencies = {}
    for code, polygons in parts.items():
        projected = affine_transform(MultiPolygon(polygons), matrix)
        simple = set_precision(projected.simplify(TOLERANCE, preserve_topology=True), grid_size=0.1)
        regencies[code] = _drawing(_polygons(simple) or _polygons(projected))
    return {"attribution": attribution, "width": width, "height": height, "regencies": regencies}


@cache
def province_drawing(province: str, codes: tuple[str, ...], boundaries_geojson: str | None = None) -> dict[str, Any]:
    """The drawing of `province`'s regencies `codes`: from the user's own GeoJSON file when given (its file name
    stands as the attribution), else the one in data/maps."""
    if boundaries_geojson:
        geojson = json.loads(Path(boundaries_geojson).read_text(encoding="utf-8"))
        return drawing_from_geojson(geojson, codes, Path(boundaries_geojson).name)
    name = "provinces.json" if province == NATIONAL else f"regencies_{province}.json"
    return json.loads((MAPS_DIR / name).read_text(encoding="utf-8"))


def build(source_dir: Path, out_dir: Path = MAPS_DIR) -> list[Path]:
    """Write data/maps/regencies_PP.json for every `regencies_PP.geojson` in `source_dir`, and
    data/maps/provinces.json (the national wall's) from `indonesia_provinces.geojson` beside it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = [(source, source.name.replace(".geojson", ".json")) for source in sorted(source_dir.glob("*.geojson"))]
    sources.append((source_dir.parent / "indonesia_provinces.geojson", "provinces.json"))
    written = []
    for source, name in sources:
        geojson = json.loads(source.read_text(encoding="utf-8"))
        codes = [f["properties"]["code"] for f in geojson["features"]]
        drawing = drawing_from_geojson(geojson, codes, ATTRIBUTION)
        target = out_dir / name
        target.write_text(json.dumps(drawing, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1])):
        print(path, path.stat().st_size)
