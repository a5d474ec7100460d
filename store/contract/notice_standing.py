"""The deadline notices' standing as the wall shows it: counted in SQL by whoever last moved it (the notices
worker after each pass, the web app after an acknowledgement), published in Redis (`Keys.notice_standing`), and
carried by the live worker's cycle to the screens. Declared once here for the three of them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

import orjson

OPDS_KEPT = 6  # the OPDs published, the most awaiting first: more than a wall's panel has room for


@dataclass(frozen=True)
class OpdStanding:
    """One OPD's escalations nobody acknowledged and its deliveries not through yet; on the national wall, one
    province's (`regency` its code, `opd` its name)."""

    regency: str
    opd: str
    awaiting: int  # escalations climbing (or at the top) that nobody acknowledged
    breached: int  # of its escalations not acknowledged, those of a passed deadline
    pending: int  # deliveries not through yet


@dataclass(frozen=True)
class NoticeStanding:
    """A province's notices at `as_of`: what awaits someone, the deadlines passed, the deliveries not through."""

    as_of: datetime
    # Past this, the count is stale (the notices worker stopped): a few of its passes.
    fresh_until: datetime
    awaiting: int  # escalations that climb (or have climbed to the top) nobody acknowledged
    at_top: int  # of them, those waiting for the province's command centre itself
    breached: int  # unacknowledged escalations of a passed deadline
    pending: int  # deliveries not through yet
    failed: int  # deliveries given up in the last day
    opds: tuple[OpdStanding, ...]  # at most `OPDS_KEPT`, the most awaiting first
    opds_waiting: int  # the OPDs with an escalation awaiting their response, all of them

    def to_json(self) -> bytes:
        return self._json

    @cached_property
    def _json(self) -> bytes:
        # Once per standing: the cycle that carries it is serialised on every tick until the next count.
        return orjson.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str | bytes) -> NoticeStanding:
        return cls.from_dict(orjson.loads(text))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NoticeStanding:
        return cls(
            **{
                **data,
                "as_of": datetime.fromisoformat(data["as_of"]),
                "fresh_until": datetime.fromisoformat(data["fresh_until"]),
                "opds": tuple(OpdStanding(**opd) for opd in data["opds"]),
            }
        )

    def is_fresh(self, now: datetime) -> bool:
        return now <= self.fresh_until
