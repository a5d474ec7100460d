"""The wall's tour (the province overview alternating with one regency after another) and which alerts may sound:
pure functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from store.live.alerts import SEVERITY_RANK, Alert

PROVINCE_STOP = "province"


def tour_order(snapshot: Mapping[str, Any], alerts: Sequence[Alert], mode: str) -> list[str]:
    """The stops of the wall's tour: the province overview alternating with one regency after another.

    `mode` "all": every regency of the snapshot in code order; "alerts": only regencies with an active
    alert, most severe first (unacknowledged before acknowledged, then by code); "off": the province only.
    A regency list that comes out empty leaves the province alone.
    """
    if mode == "off":
        return [PROVINCE_STOP]
    if mode == "alerts":
        worst: dict[str, tuple[int, int]] = {}
        for alert in alerts:
            if alert.regency not in snapshot["regencies"]:
                continue
            rank = (-SEVERITY_RANK[alert.severity], alert.acknowledged_by is not None)
            worst[alert.regency] = min(worst.get(alert.regency, rank), rank)
        codes = sorted(worst, key=lambda code: (worst[code], code))
    else:
        codes = sorted(snapshot["regencies"])
    return [stop for code in codes for stop in (PROVINCE_STOP, code)] or [PROVINCE_STOP]


def sound_ids(alerts: Sequence[Alert], enabled: bool) -> list[str]:
    """Ids of the alerts that may sound (critical, unacknowledged), only when the sound is switched on."""
    return [alert.id for alert in alerts if enabled and alert.sound]
