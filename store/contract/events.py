"""Event schema, version 1 (contract): validation with field-level errors."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from store.contract import clock
from store.contract.reference import Reference
from store.contract.xml_text import not_xml

MAX_FUTURE = timedelta(minutes=10)
MAX_PAST = timedelta(days=30)
# A deadline may have passed long ago (a stale backlog) or lie years ahead (a permit), but not past these.
SLA_DUE_PAST = timedelta(days=366)
SLA_DUE_FUTURE = timedelta(days=5 * 366)
STATUSES = ("received", "verified", "dispatched", "in_progress", "resolved", "rejected")
TERMINAL = frozenset({"resolved", "rejected"})
# Ties between a request's events at the same time go to the later stage of the lifecycle.
STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}
CHANNELS = ("web", "app", "sms", "whatsapp", "call_centre", "social_media", "walk_in")
# The intake's limits, part of the contract (the API description states them).
MAX_ITEMS = 10_000  # events in one request; more get 413
MAX_REJECTIONS_LISTED = 1_000  # rejections named in one answer; `rejected_count` has them all
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _no_control_chars(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("contains control characters")
    code_point = not_xml(value)
    if code_point:
        raise ValueError(f"contains {code_point}, which XML cannot carry (Open311's answers, Excel files)")
    return value


Identifier = Annotated[
    str,
    StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$"),
]
OpdName = Annotated[str, StringConstraints(min_length=1, max_length=100), AfterValidator(_no_control_chars)]
Title = Annotated[str, StringConstraints(max_length=200), AfterValidator(_no_control_chars)]


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    event_id: Identifier
    regency_code: str
    ts: AwareDatetime

    @field_validator("regency_code")
    @classmethod
    def _known_regency(cls, value: str, info: ValidationInfo) -> str:
        if value not in _reference(info).regencies:
            raise ValueError(f"unknown regency {value!r} in province {_reference(info).province}")
        return value

    @field_validator("ts")
    @classmethod
    def _recent(cls, value: datetime, info: ValidationInfo) -> datetime:
        now = (info.context or {}).get("now") or clock.now()
        if value > now + MAX_FUTURE:
            raise ValueError(f"is more than {MAX_FUTURE.seconds // 60} minutes in the future")
        if value < now - MAX_PAST:
            raise ValueError(f"is more than {MAX_PAST.days} days in the past")
        return value.astimezone(UTC)


class ServiceRequestEvent(_Event):
    type: Literal["service_request"]
    request_id: Identifier
    status: Literal[STATUSES]  # type: ignore[valid-type]
    category: str
    channel: Literal[CHANNELS]  # type: ignore[valid-type]
    opd: OpdName
    sla_due: AwareDatetime | None = None
    priority: Literal["low", "normal", "high", "urgent"] | None = None
    title: Title | None = None
    satisfaction: Annotated[int, Field(ge=1, le=5, strict=True)] | None = None

    @field_validator("sla_due")
    @classmethod
    def _plausible_deadline(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if value is None:
            return None
        now = (info.context or {}).get("now") or clock.now()
        # Compared before converting: a time at the calendar's edge (0001-01-01, 9999-12-31) cannot be moved
        # to UTC at all.
        if not now - SLA_DUE_PAST <= value <= now + SLA_DUE_FUTURE:
            raise ValueError(f"must be within {SLA_DUE_PAST.days} days before and {SLA_DUE_FUTURE.days} days after now")
        return value.astimezone(UTC)

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str, info: ValidationInfo) -> str:
        if value not in _reference(info).categories:
            raise ValueError(f"unknown category {value!r}")
        return value


class KpiEvent(_Event):
    type: Literal["kpi"]
    metric: str
    value: Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-1e12, le=1e12)]

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, value: str, info: ValidationInfo) -> str:
        if value not in _reference(info).kpis:
            raise ValueError(f"unknown metric {value!r}")
        return value


Event = Annotated[ServiceRequestEvent | KpiEvent, Field(discriminator="type")]
_event_adapter: TypeAdapter[ServiceRequestEvent | KpiEvent] = TypeAdapter(Event)


def _reference(info: ValidationInfo) -> Reference:
    return info.context["reference"]


def describe(error: ValidationError) -> str:
    """One line naming each failing field and why, e.g. "regency_code: unknown regency '12.99'"."""
    parts = []
    for err in error.errors(include_url=False):
        loc = [str(p) for p in err["loc"] if p not in ("service_request", "kpi")]
        field = ".".join(loc) or "event"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown field"
        elif err["type"] == "union_tag_invalid":
            field, message = "type", "must be 'service_request' or 'kpi'"
        elif err["type"] == "union_tag_not_found":
            field, message = "type", "is missing (must be 'service_request' or 'kpi')"
        parts.append(f"{field}: {message}")
    return "; ".join(parts)


def validate_event(data: Any, reference: Reference, now: datetime | None = None) -> ServiceRequestEvent | KpiEvent:
    """Validate one decoded JSON value; raises ValueError with a field-level message."""
    if not isinstance(data, dict):
        raise ValueError(f"event: must be a JSON object, not {type(data).__name__}")
    for name, value in data.items():
        if isinstance(value, str) and not _is_unicode(value):
            raise ValueError(f"{storable(name)}: contains a lone surrogate (\\ud800-\\udfff), which is not text")
    try:
        return _event_adapter.validate_python(data, context={"reference": reference, "now": now})
    except ValidationError as exc:
        raise ValueError(describe(exc)) from None


def _is_unicode(text: str) -> bool:
    """False for a string holding a lone surrogate: JSON can spell one (`"\\ud800"`), UTF-8 cannot store it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def storable(text: str) -> str:
    """`text` as valid UTF-8, to store or send: a lone surrogate becomes its escape (`\\ud800`)."""
    return text if _is_unicode(text) else text.encode("utf-8", "backslashreplace").decode("utf-8")


def decode_body(body: bytes, content_type: str) -> list[Any]:
    """Decode an HTTP or file body (JSON object, JSON array or NDJSON) into items.

    An NDJSON line that is not JSON (or not UTF-8, or nested too deep to parse) becomes an `InvalidLine` item,
    so one bad line rejects only itself. A JSON body that cannot be decoded raises ValueError.
    """
    if "ndjson" in content_type or "jsonlines" in content_type:
        return [_decode_line(line) for line in body.splitlines() if line.strip()]
    value = _loads(body.decode("utf-8"))
    return value if isinstance(value, list) else [value]


class InvalidLine:
    """An NDJSON line that could not be decoded."""

    def __init__(self, error: str, raw: str = "") -> None:
        self.error = error
        self.raw = raw


def _decode_line(line: bytes) -> Any:
    try:
        return _loads(line.decode("utf-8"))
    except ValueError as exc:  # includes UnicodeDecodeError
        return InvalidLine(f"event: not valid JSON ({exc})", line.decode("utf-8", "backslashreplace"))


def _loads(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def to_record(event: ServiceRequestEvent | KpiEvent) -> str:
    """Canonical JSON of a validated event (times in UTC, unset optionals left out), as stored in the stream."""
    return event.model_dump_json(exclude_none=True)
