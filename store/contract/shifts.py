"""The command centre's shifts: spans of the day in WIB that together cover it (`SHIFTS`)."""

from __future__ import annotations

from dataclasses import dataclass

DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Shift:
    name: str
    start: int  # minutes after midnight WIB
    end: int  # minutes after midnight WIB; below `start` for a shift over midnight


def _minutes(text: str) -> int:
    hours, _, minutes = text.strip().partition(":")
    if not hours.isdigit() or (minutes and not minutes.isdigit()):
        raise ValueError(f"shift time {text!r} is not HH or HH:MM")
    value = int(hours) * 60 + int(minutes or 0)
    if int(hours) > 24 or int(minutes or 0) > 59 or value > DAY_MINUTES:
        raise ValueError(f"shift time {text!r} is out of range")
    return value % DAY_MINUTES


def parse_shifts(spec: str) -> tuple[Shift, ...]:
    """Parse `07-15,15-23,23-07` (optionally `name=07:30-15:30`); the shifts must cover the day without overlap."""
    shifts = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, sep, span = item.rpartition("=")
        start, dash, end = span.partition("-")
        if not dash:
            raise ValueError(f"shift {item!r} is not of the form HH-HH")
        shifts.append(Shift(name.strip() if sep else span.strip(), _minutes(start), _minutes(end)))
    if not shifts:
        raise ValueError("no shifts given")
    total = sum((s.end - s.start) % DAY_MINUTES or DAY_MINUTES for s in shifts)
    ordered = sorted(shifts, key=lambda s: s.start)
    joined = all(a.end == b.start for a, b in zip(ordered, ordered[1:] + ordered[:1], strict=True))
    if total != DAY_MINUTES or not joined:
        raise ValueError(f"shifts {spec!r} must cover the 24 hours exactly, each starting where another ends")
    return tuple(shifts)
