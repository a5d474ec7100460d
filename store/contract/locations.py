"""Which regency a point falls in, for requests located by latitude and longitude (Open311's `lat`/`long`).

The regencies' outlines in WGS-84 degrees are in `data/areas/regencies_PP.json`, written by
`python -m store.contract.locations SOURCE_DIR` from the same boundaries as the wall's maps (see data/MAPS.md):
the outline of each regency keyed by its code, coordinates rounded to 4 decimals (about 11 m). The source is
simplified, so a point within a few hundred metres of a border may fall on either side of it; a sender that
knows better names the regency.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path

from shapely import STRtree, make_valid
from shapely.geometry import Point, shape

from store.contract.paths import DATA_DIR

AREAS_DIR = DATA_DIR / "areas"
DIGITS = 4
ATTRIBUTION = (
    "Batas wilayah: cahyadsn/wilayah_boundaries (MIT, © 2024 Cahya DSN), via ../shared/data/boundaries; "
    "koordinat WGS-84 dibulatkan 4 desimal"
)


@cache
def _areas(province: str) -> tuple[STRtree, tuple[str, ...]]:
    path = AREAS_DIR / f"regencies_{province}.json"
    outlines = json.loads(path.read_text(encoding="utf-8"))["regencies"] if path.exists() else {}
    codes = tuple(outlines)
    shapes = [make_valid(shape(outlines[code])) for code in codes]
    return STRtree(shapes), codes


def regency_at(province: str, lat: float, lon: float) -> str | None:
    """The code of the regency of `province` that holds the point, else None (outside, or no outlines)."""
    tree, codes = _areas(province)
    if not codes:
        return None
    hits = tree.query(Point(lon, lat), predicate="intersects")
    return codes[min(hits)] if len(hits) else None


def _rounded(coordinates: list) -> list:
    if coordinates and isinstance(coordinates[0], int | float):
        return [round(value, DIGITS) for value in coordinates]
    return [_rounded(part) for part in coordinates]


def build(source_dir: Path, out_dir: Path = AREAS_DIR) -> list[Path]:
    """Write data/areas/regencies_PP.json for every `regencies_PP.geojson` in `source_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(source_dir.glob("regencies_*.geojson")):
        features = json.loads(source.read_text(encoding="utf-8"))["features"]
        outlines = {
            f["properties"]["code"]: {
                "type": f["geometry"]["type"],
                "coordinates": _rounded(f["geometry"]["coordinates"]),
            }
            for f in features
        }
        target = out_dir / source.name.replace(".geojson", ".json")
        text = json.dumps(
            {"attribution": ATTRIBUTION, "regencies": outlines}, separators=(",", ":"), ensure_ascii=False
        )
        target.write_text(text + "\n", encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1])):
        print(path, path.stat().st_size)
