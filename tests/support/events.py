"""The service-request event the browser tests send most: request `r<n>` received in a regency, for Dinas Kesehatan."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def received(n: int, code: str, at: datetime, **extra: Any) -> dict[str, Any]:
    """Event `e<n>`: request `r<n>` received in `code` at `at`; `extra` adds fields (a deadline, `sla_due`)."""
    return {
        "event_id": f"e{n}",
        "type": "service_request",
        "request_id": f"r{n}",
        "regency_code": code,
        "status": "received",
        "category": "kesehatan",
        "channel": "web",
        "opd": "Dinas Kesehatan",
        "ts": at.isoformat(),
        **extra,
    }
