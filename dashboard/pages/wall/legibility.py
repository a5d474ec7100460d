"""Minimum legible font size on the wall, from viewing distance and screen geometry (the `WALL_*` settings in
README.md, "Configuration").

Control-room ergonomics (ISO 9241-303, ISO 11064-4) ask that a capital letter subtend at least
16 minutes of arc at the reader's eye.
"""

from __future__ import annotations

import math

MIN_ARC_MINUTES = 16.0
# Capital height over font size for common sans-serif faces (DejaVu Sans 0.73, Roboto 0.71, Arial 0.72).
CAP_HEIGHT_RATIO = 0.72
MM_PER_INCH = 25.4


def pixel_pitch_mm(diagonal_in: float, width_px: int, height_px: int) -> float:
    """Height of one pixel, in millimetres, of a screen with square pixels."""
    diagonal_px = math.hypot(width_px, height_px)
    return diagonal_in * MM_PER_INCH / diagonal_px


def min_cap_height_mm(distance_m: float, arc_minutes: float = MIN_ARC_MINUTES) -> float:
    """Smallest capital height, in millimetres, that subtends `arc_minutes` at `distance_m`."""
    angle = math.radians(arc_minutes / 60)
    return 2 * distance_m * 1000 * math.tan(angle / 2)


def min_font_px(
    distance_m: float = 5.0,
    diagonal_in: float = 55.0,
    width_px: int = 1920,
    height_px: int = 1080,
    arc_minutes: float = MIN_ARC_MINUTES,
) -> int:
    """Smallest font size, in CSS pixels of that screen, readable at `distance_m` (5 m, 55 in, 1080p: 51)."""
    cap_px = min_cap_height_mm(distance_m, arc_minutes) / pixel_pitch_mm(diagonal_in, width_px, height_px)
    return math.ceil(cap_px / CAP_HEIGHT_RATIO)


def min_font_vh(distance_m: float, diagonal_in: float, width_px: int, height_px: int) -> float:
    """The same minimum as a share of the viewport height, so one page serves 1080p and 4K alike."""
    return round(100 * min_font_px(distance_m, diagonal_in, width_px, height_px) / height_px, 3)
