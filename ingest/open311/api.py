"""The GeoReport v2 endpoints under `/open311/v2/`, each in `.json` or `.xml`.

- `discovery`, `services`, `services/<code>`: open to anyone.
- `POST requests`: form-encoded, `api_key` an ingest token of the jurisdiction's province. The request becomes a
  `service_request` event through the same validation, stream, dead letters and counts as `POST /api/v1/events`.
- `GET requests`, `requests/<id>`: with an `api_key` of the province, or by anyone where the province publishes
  them (`OPEN311_PUBLIC`), then `OPEN311_READS_PER_MINUTE` per address; titles screened or left out
  (`OPEN311_TITLES`), and nothing personal is ever kept to show.
- `tokens/<token>`: this server answers a POST with its `service_request_id` at once, so it issues no tokens.

`jurisdiction_id` is a province's code (default: the province of the path, `/p/<code>/`, else the home province).
Errors are the specification's: an array of `{code, description}` with 400, 403 or 404 (and 429 or 503 with
`Retry-After`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import redis
from flask import Blueprint, Response, current_app, request
from sqlalchemy import and_, false, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import HTTPException
from werkzeug.routing import PathConverter

from ingest.open311.answers import Open311Error, answer, error_answer
from ingest.open311.reports import (
    KEPT_FIELDS,
    located_regency,
    post_answer,
    request_answer,
    request_event,
    split_request_id,
)
from store.access.gate import BearerGate, Verdict
from store.access.models import within
from store.access.throttle import RateLimit
from store.contract import clock
from store.contract.events import TERMINAL, to_record, validate_event
from store.contract.keys import Keys
from store.contract.provinces import PROVINCE_ENVIRON
from store.contract.reference import Reference
from store.contract.settings import Settings
from store.contract.tracking import receipt
from store.history.models import ServiceRequest
from store.pipeline.ops import count_ingest
from store.pipeline.streams import StreamFull, append_events, dead_letter_all

PREFIX = "/open311/v2"
FORMATS = ("json", "xml")
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-02T00:00:00+07:00"  # when these endpoints last changed
MAX_SPAN = timedelta(days=90)
MAX_RESULTS = 1000
MAX_IDS = 100
RETRY_AFTER_SECONDS = 5
log = logging.getLogger(__name__)


def create_open311_blueprint(
    settings: Settings,
    client_factory: Callable[[], redis.Redis],
    references: dict[str, Reference],
    session_factory: sessionmaker[Session],
) -> Blueprint:
    """The GeoReport v2 endpoints for the provinces of `references`; `api_key` is checked as an ingest token."""
    blueprint = Blueprint("open311", __name__)
    blueprint.record_once(lambda state: state.app.url_map.converters.setdefault("anything", AnyText))
    keys = {code: Keys(code) for code in references}
    home = settings.province if settings.province in references else next(iter(references))
    gate = BearerGate(session_factory, client_factory, keys[home], "ingest")

    def jurisdiction() -> Reference:
        code = request.values.get("jurisdiction_id", "").strip() or request.environ.get(PROVINCE_ENVIRON, home)
        if code not in references:
            raise Open311Error(
                404, f"jurisdiction_id {code[:40]!r} not found: this server serves {', '.join(references)}"
            )
        return references[code]

    def key_holder(reference: Reference, required: bool) -> Verdict | None:
        """The token behind `api_key`, which must be the province's; None when none was sent and none is needed."""
        api_key = request.values.get("api_key", "")
        if not api_key and not required:
            return None
        verdict = gate.check(f"Bearer {api_key}", request.remote_addr or "unknown")
        if verdict.throttled:
            raise Open311Error(429, "too many attempts: wait before sending again", verdict.retry_after)
        if not verdict.accepted:
            raise Open311Error(403, "api_key: missing or not valid (ask the command centre for an ingest token)")
        if not within(verdict.token.scope, reference.province):
            raise Open311Error(403, f"api_key: not valid for jurisdiction {reference.province}")
        return verdict

    def may_read(reference: Reference) -> None:
        if key_holder(reference, required=False) is not None:
            return
        if reference.province not in settings.open311_public:
            raise Open311Error(403, f"reading requests of jurisdiction {reference.province} needs its api_key")
        limit = RateLimit(
            client_factory(), keys[reference.province], "open311-reads", settings.open311_reads_per_minute, 60
        )
        wait = limit.hit(request.remote_addr or "unknown")
        if wait:
            raise Open311Error(429, f"at most {settings.open311_reads_per_minute} reads a minute", wait)

    def lang() -> str:
        return request.accept_languages.best_match(["id", "en"]) or "id"

    def served(fmt: str, build: Callable[[], tuple[str, Any]], status: int = 200) -> Response:
        if fmt not in FORMATS:
            return error_answer("json", Open311Error(404, f"format .{fmt[:10]} not served: use .json or .xml"))
        try:
            root, payload = build()
        except Open311Error as error:
            return error_answer(fmt, error)
        except (redis.ConnectionError, redis.TimeoutError, SQLAlchemyError) as exc:
            log.warning("open311: %s unavailable: %s", request.path, exc)
            return error_answer(fmt, Open311Error(503, "service unavailable: try again later", RETRY_AFTER_SECONDS))
        return answer(fmt, root, payload, status)

    public_base = settings.public_base()

    @blueprint.get(f"{PREFIX}/discovery.<fmt>")
    def discovery(fmt: str) -> Response:
        def build() -> tuple[str, Any]:
            endpoint = {
                "specification": SPECIFICATION,
                "url": public_base + request.script_root + PREFIX,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
            return "discovery", {
                "changeset": CHANGESET,
                "contact": "Kominfo provinsi: pusat komando (command centre operators)",
                "key_service": "Minta token ingest provinsi kepada operator pusat komando / ask the command centre",
                "endpoints": [endpoint],
            }

        return served(fmt, build)

    @blueprint.get(f"{PREFIX}/services.<fmt>")
    def services(fmt: str) -> Response:
        def build() -> tuple[str, Any]:
            reference = jurisdiction()
            return "services", [_service(category, lang()) for category in reference.categories.values()]

        return served(fmt, build)

    @blueprint.get(f"{PREFIX}/services/<anything:name>")
    def service_definition(name: str) -> Response:
        code, _, fmt = name.rpartition(".")

        def build() -> tuple[str, Any]:
            reference = jurisdiction()
            if code not in reference.categories:
                raise Open311Error(404, f"service_code {code[:64]!r} not found")
            return "service_definition", {"service_code": code, "attributes": _attributes(reference, lang())}

        return served(fmt, build)

    @blueprint.post(f"{PREFIX}/requests.<fmt>")
    def post_request(fmt: str) -> Response:
        def build() -> tuple[str, Any]:
            reference = jurisdiction()
            holder = key_holder(reference, required=True)
            assert holder is not None and holder.token is not None
            source, now, form = holder.token.name, clock.now(), request.form
            client = client_factory()
            try:
                regency = located_regency(form, reference)
                event = request_event(form, reference, regency, source, now, request.headers.get("Idempotency-Key"))
                record = to_record(validate_event(event, reference, now))  # the same check as our own API's
            except (Open311Error, ValueError) as exc:  # and the same dead letters, for the operators to see
                kept = json.dumps({k: v for k, v in form.items() if k in KEPT_FIELDS}, ensure_ascii=False)
                dead_letter_all(client, keys[reference.province], [(kept, str(exc))], source)
                raise Open311Error(400, str(exc)) from None
            try:
                append_events(client, keys[reference.province], [record], settings.stream_maxlen)
            except StreamFull as full:
                raise Open311Error(503, f"{full}; send it again later", RETRY_AFTER_SECONDS) from None
            count_ingest(client, keys[reference.province], source, 1, now)
            tracking = settings.tracking_key and receipt(
                settings.tracking_key.get_secret_value(), public_base, event["regency_code"], event["request_id"]
            )
            return "service_requests", [post_answer(event, reference, lang(), now, tracking or None)]

        return served(fmt, build)

    @blueprint.get(f"{PREFIX}/requests.<fmt>")
    def get_requests(fmt: str) -> Response:
        def build() -> tuple[str, Any]:
            reference = jurisdiction()
            may_read(reference)
            query = _requests_query(reference, request.args)
            with session_factory() as session:
                rows = session.scalars(query).all()
            return "service_requests", [request_answer(row, reference, lang(), settings.open311_titles) for row in rows]

        return served(fmt, build)

    @blueprint.get(f"{PREFIX}/requests/<anything:name>")
    def get_request(name: str) -> Response:
        wanted, _, fmt = name.rpartition(".")

        def build() -> tuple[str, Any]:
            reference = jurisdiction()
            may_read(reference)
            regency, request_id = split_request_id(wanted)
            row = None
            if regency in reference.regencies:
                with session_factory() as session:
                    row = session.get(ServiceRequest, (regency, request_id))
            if row is None:
                raise Open311Error(404, f"service_request_id {wanted[:160]!r} not found")
            return "service_requests", [request_answer(row, reference, lang(), settings.open311_titles)]

        return served(fmt, build)

    @blueprint.get(f"{PREFIX}/tokens/<anything:name>")
    def token(name: str) -> Response:
        wanted, _, fmt = name.rpartition(".")

        def build() -> tuple[str, Any]:
            jurisdiction()
            raise Open311Error(404, f"token {wanted[:64]!r} not found: a POST here answers its service_request_id")

        return served(fmt, build)

    @blueprint.errorhandler(413)
    def too_large(error: HTTPException) -> Response:
        """A body over the size limit, in the specification's error form."""
        fmt = request.path.rpartition(".")[2]
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        return error_answer(fmt if fmt in FORMATS else "json", Open311Error(413, f"body exceeds {limit} bytes"))

    @blueprint.app_errorhandler(404)
    @blueprint.app_errorhandler(405)
    def routing_error(error: HTTPException) -> Response | HTTPException:
        """No such endpoint or method under the prefix: the specification's error form (and the Allow header)."""
        if not request.path.startswith(PREFIX + "/"):
            return error
        fmt = request.path.rpartition(".")[2]
        why = "no such endpoint" if error.code == 404 else f"{request.method} is not served here"
        response = error_answer(fmt if fmt in FORMATS else "json", Open311Error(error.code or 404, why))
        if "Allow" in error.get_response().headers:
            response.headers["Allow"] = error.get_response().headers["Allow"]
        return response

    return blueprint


class AnyText(PathConverter):
    """Any rest of a path, line breaks included (an id with one in it is not found, in the specification's form,
    rather than missing the route)."""

    regex = "(?s:[^/].*?)"


def _service(category: Any, lang: str) -> dict[str, Any]:
    name = category.name_en if lang == "en" else category.name_id
    days = category.deadline_working_days
    description = (
        f"{name}: handled by {category.opd}, within {days} working days"
        if lang == "en"
        else f"{name}: ditangani {category.opd}, dalam {days} hari kerja"
    )
    return {
        "service_code": category.key,
        "service_name": name,
        "description": description,
        "metadata": True,
        "type": "realtime",
        "keywords": category.key.replace("_", ", "),
        "group": category.opd,
    }


def _attributes(reference: Reference, lang: str) -> list[dict[str, Any]]:
    """Where the request is (when it has no lat/long) and how it reached the sender."""
    english = lang == "en"
    regencies = [{"key": code, "name": r.name} for code, r in sorted(reference.regencies.items())]
    channels = [{"key": key, "name": c.name_en if english else c.name_id} for key, c in reference.channels.items()]
    return [
        {
            "variable": True,
            "code": "regency",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "Regency or city, when lat/long are not sent"
            if english
            else "Kabupaten/kota, bila lat/long tidak dikirim",
            "order": 1,
            "description": "Kabupaten/kota" if not english else "Regency or city",
            "values": regencies,
        },
        {
            "variable": True,
            "code": "channel",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "How the citizen reached the sender (default: app)"
            if english
            else "Saluran warga (bawaan: app)",
            "order": 2,
            "description": "Channel" if english else "Saluran",
            "values": channels,
        },
    ]


def _requests_query(reference: Reference, args: Any) -> Any:
    """The archived requests `GET requests` asks for: by id (which overrides the rest), else by service, status
    and requested time (at most 90 days; the last 90 by default), newest first, at most `MAX_RESULTS`."""
    query = select(ServiceRequest).where(ServiceRequest.regency.in_(sorted(reference.regencies)))
    ids = [value for value in args.get("service_request_id", "").split(",") if value.strip()]
    if ids:
        if len(ids) > MAX_IDS:
            raise Open311Error(400, f"service_request_id: at most {MAX_IDS} ids at once")
        pairs = [split_request_id(value.strip()) for value in ids]
        wanted = [(regency, request_id) for regency, request_id in pairs if regency in reference.regencies]
        if not wanted:
            return query.where(false())
        return query.where(or_(*(and_(ServiceRequest.regency == r, ServiceRequest.request_id == i) for r, i in wanted)))
    codes = [value.strip() for value in args.get("service_code", "").split(",") if value.strip()]
    if codes:
        query = query.where(ServiceRequest.category.in_(codes))
    statuses = {value.strip() for value in args.get("status", "").split(",") if value.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status: must be open, closed, or both (comma-separated)")
    if statuses == {"open"}:
        query = query.where(ServiceRequest.status.not_in(TERMINAL))
    elif statuses == {"closed"}:
        query = query.where(ServiceRequest.status.in_(TERMINAL))
    start, end = _date_arg(args, "start_date"), _date_arg(args, "end_date")
    try:
        end = end or (start + MAX_SPAN if start else clock.now())
        start = start or end - MAX_SPAN
    except OverflowError:
        raise Open311Error(400, "start_date, end_date: out of the calendar's range") from None
    if end < start:
        raise Open311Error(400, "end_date: is before start_date")
    if end - start > MAX_SPAN:
        raise Open311Error(400, "start_date, end_date: may be at most 90 days apart")
    query = query.where(ServiceRequest.received_at >= start, ServiceRequest.received_at <= end)
    return query.order_by(ServiceRequest.received_at.desc()).limit(MAX_RESULTS)


def _date_arg(args: Any, name: str) -> datetime | None:
    text = args.get(name, "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(
            400, f"{name}: {text[:40]!r} is not a W3C date and time (2026-11-25T08:00:00+07:00)"
        ) from None
    if moment.tzinfo is None:
        raise Open311Error(400, f"{name}: needs its offset from UTC (Z or +07:00)")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise Open311Error(400, f"{name}: out of the calendar's range") from None
