"""`POST /api/v1/screens`: a live page's report on its screen (`assets/screen_report.js`, every `REPORT_SECONDS`),
recorded for `/ops` and the live worker's screen alerts (`store.live.screens`) under the signed-in wall token's
or user's name."""

from __future__ import annotations

import logging
from typing import Annotated, Literal

import flask
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from dashboard.security.principals import current_principal
from dashboard.services import services
from store.contract import clock
from store.live.screens import ScreenRegistry, ScreenReport

screen_reports = flask.Blueprint("screen_reports", __name__)
log = logging.getLogger(__name__)

Id = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16,64}$")]
Short = Annotated[str, StringConstraints(max_length=64)]
Seconds = Annotated[float, Field(ge=0, le=1e10)]


class BrowserReport(BaseModel):
    """A report as the page sends it; anything else, or anything out of bounds, is refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    screen: Id
    load: Id
    socket: Short | None = None
    page: Annotated[str, StringConstraints(max_length=300)]
    lang: Literal["id", "en"]
    resolution: Short
    viewport: Short
    age_seconds: Seconds
    epoch: Annotated[int, Field(ge=0)] | None = None
    seq: Annotated[int, Field(ge=0)] | None = None
    served_at: Seconds | None = None
    memory_bytes: Annotated[int, Field(ge=0)] | None = None


@screen_reports.post("/api/v1/screens")
def report() -> tuple[flask.Response | str, int]:
    """204 once recorded; 400 naming each field that is wrong and why."""
    try:
        sent = BrowserReport.model_validate(flask.request.get_json(silent=True))
    except ValidationError as exc:
        errors = [
            {"field": ".".join(map(str, error["loc"])) or "(body)", "error": error["msg"]}
            for error in exc.errors(include_url=False, include_input=False)
        ]
        return flask.jsonify({"errors": errors}), 400
    principal = current_principal()
    assert principal is not None  # the access rules let only a signed-in screen or user here
    now = clock.timestamp()
    screen = ScreenReport(**sent.model_dump(exclude={"age_seconds"}), loaded_at=now - sent.age_seconds)
    svc = services()
    ScreenRegistry(svc.live.redis, svc.keys).report(screen, principal.name, principal.kind, now)
    return "", 204
