"""Hexagon tile map: every regency one equal hexagon, placed on a grid near its centroid.

Pointy-top hexagons in "odd-r" offset coordinates: odd rows sit half a hexagon to the right.
Positions are in units of the hexagon's height, so the page can scale the map to any panel.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

HEX_WIDTH = math.sqrt(3) / 2  # of a pointy-top hexagon one unit tall
ROW_STEP = 0.75
FILL = 1.7  # grid cells per regency: room enough that few tiles stray far from their centroid


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


_VOWELS = set("AEIOU")


def _candidates(name: str) -> list[str]:
    """Three-letter abbreviations of a regency name, best first: "Deli Serdang" -> DLS, "Medan" -> MDN."""
    words = [w for w in name.upper().replace("-", " ").split() if w not in ("KOTA", "KABUPATEN")] or ["X"]
    head = words[0]
    consonants = head[0] + "".join(ch for ch in head[1:] if ch.isalpha() and ch not in _VOWELS)
    initials = "".join(w[0] for w in words[1:])[:2]
    letters = "".join(ch for ch in "".join(words) if ch.isalpha())
    stem = consonants if len(consonants) >= 3 else letters
    first = consonants[: 3 - len(initials)] + initials if initials else stem[:3]
    rest = letters[1:]
    return [first, letters[:3], *(letters[0] + a + b for i, a in enumerate(rest) for b in rest[i + 1 :])]


def short_labels(names: Mapping[str, str]) -> dict[str, str]:
    """A distinct label of three capitals per regency, short enough for a hexagon read from across the room."""
    labels: dict[str, str] = {}
    used: set[str] = set()
    for code in sorted(names):
        options = [c for c in _candidates(names[code]) if len(c) == 3]
        label = next((c for c in options if c not in used), None) or f"{len(used):03d}"
        labels[code] = label
        used.add(label)
    return labels
