"""Hexagon tile map (`WALL_MAP=hex`): every regency one equal hexagon, placed on a grid near its centroid.

Pointy-top hexagons in "odd-r" offset coordinates: odd rows sit half a hexagon to the right.
Positions are in units of the hexagon's height, so the page can scale the map to any panel.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

HEX_WIDTH = math.sqrt(3) / 2  # of a pointy-top hexagon one unit tall
ROW_STEP = 0.75
FILL = 1.7  # grid cells per regency: room enough that few tiles stray far from their centroid
INSET = 0.94  # a hexagon's share of its cell: a thin gap between neighbours


@dataclass(frozen=True)
class HexTile:
    code: str
    col: int
    row: int
    x: float  # centre, in hexagon heights from the left edge of the map
    y: float  # centre, in hexagon heights from the top edge of the map


@dataclass(frozen=True)
class HexLayout:
    tiles: dict[str, HexTile]
    width: float
    height: float


def layout_hexagons(centroids: Mapping[str, tuple[float, float]]) -> HexLayout:
    """Place regencies, given as code -> (lat, lon), on distinct cells of a hexagon grid, north up."""
    if not centroids:
        return HexLayout({}, 0.0, 0.0)
    mean_lat = math.radians(sum(lat for lat, _ in centroids.values()) / len(centroids))
    # Equirectangular projection, y growing southwards like rows do.
    points = {code: (lon * math.cos(mean_lat), -lat) for code, (lat, lon) in centroids.items()}
    cells = _assign(points, _scale(points))
    return _layout(cells)


def _scale(points: Mapping[str, tuple[float, float]]) -> float:
    """Grid cells per projected degree, so the bounding box holds about FILL cells per regency."""
    xs, ys = [p[0] for p in points.values()], [p[1] for p in points.values()]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    target = FILL * len(points)
    low, high = 1e-6, 1e6
    for _ in range(100):
        scale = math.sqrt(low * high)
        cells = (width * scale / HEX_WIDTH + 1) * (height * scale / ROW_STEP + 1)
        low, high = (scale, high) if cells < target else (low, scale)
    return low


def _assign(points: Mapping[str, tuple[float, float]], scale: float) -> dict[str, tuple[int, int]]:
    """Greedy matching: the closest (regency, cell) pair first, until every regency has a cell."""
    x0 = min(p[0] for p in points.values())
    y0 = min(p[1] for p in points.values())
    ideal = {code: ((x - x0) * scale / HEX_WIDTH, (y - y0) * scale / ROW_STEP) for code, (x, y) in points.items()}
    max_col = math.ceil(max(c for c, _ in ideal.values())) + 1
    max_row = math.ceil(max(r for _, r in ideal.values())) + 1
    grid = [(col, row) for row in range(-1, max_row + 1) for col in range(-1, max_col + 1)]
    pairs = []
    for code, (col_f, row_f) in ideal.items():
        for col, row in grid:
            dx = (col + 0.5 * (row % 2) - col_f) * HEX_WIDTH
            dy = (row - row_f) * ROW_STEP
            pairs.append((dx * dx + dy * dy, code, col, row))
    pairs.sort()
    placed: dict[str, tuple[int, int]] = {}
    taken: set[tuple[int, int]] = set()
    for _, code, col, row in pairs:
        if code not in placed and (col, row) not in taken:
            placed[code] = (col, row)
            taken.add((col, row))
            if len(placed) == len(ideal):
                break
    return placed


def _layout(cells: Mapping[str, tuple[int, int]]) -> HexLayout:
    """Trim empty margins (rows move by an even number so odd rows stay offset) and compute centres."""
    min_row = min(r for _, r in cells.values())
    min_row -= min_row % 2
    rows = {code: (col, row - min_row) for code, (col, row) in cells.items()}
    left = min(col + 0.5 * (row % 2) for col, row in rows.values())
    top = min(row for _, row in rows.values())
    tiles = {
        code: HexTile(
            code=code,
            col=col,
            row=row,
            x=(col + 0.5 * (row % 2) - left) * HEX_WIDTH + HEX_WIDTH / 2,
            y=(row - top) * ROW_STEP + 0.5,
        )
        for code, (col, row) in rows.items()
    }
    width = max(tile.x for tile in tiles.values()) + HEX_WIDTH / 2
    height = max(tile.y for tile in tiles.values()) + 0.5
    return HexLayout(tiles, width, height)


def hex_drawing(layout: HexLayout) -> dict[str, Any]:
    """The hexagon map in the drawing format of `store.contract.map_shapes` (one hexagon path per regency), so the page
    draws, labels and recolours both maps alike."""
    regencies = {}
    for code, tile in layout.tiles.items():
        corners = [
            (tile.x + 0.5 * math.cos(math.radians(a)) * INSET, tile.y + 0.5 * math.sin(math.radians(a)) * INSET)
            for a in range(-90, 270, 60)
        ]
        path = "M" + "L".join(f"{x:.3f},{y:.3f}" for x, y in corners) + "Z"
        half_width = HEX_WIDTH / 2 * INSET
        regencies[code] = {
            "d": path,
            "anchor": [round(tile.x, 3), round(tile.y, 3)],
            "room": round(half_width, 3),
            "box": [tile.x - half_width, tile.y - 0.5, tile.x + half_width, tile.y + 0.5],
        }
    return {"width": layout.width, "height": layout.height, "regencies": regencies}
