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
from store.live.screens import ScreenRefused, ScreenRegistry, ScreenReport

screen_reports = flask.Blueprint("screen_reports", __name__)
log = logging.getLogger(__name__)

# Everything a page reports is bounded and of the form the page writes: it is kept, listed on /ops and may reach an
# alert's text.
Id = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16,64}$")]
SocketId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]  # an Engine.IO session id
Path = Annotated[str, StringConstraints(pattern=r"^/[A-Za-z0-9/._~%:@!$&'()*+,;=-]{0,199}$")]  # as the URL has it
Size = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,5}[x×][0-9]{1,5}$")]
Age = Annotated[float, Field(ge=0, le=366 * 24 * 3600)]  # a page a year old is one that never reloads
Instant = Annotated[float, Field(ge=1e9, le=1e10)]  # epoch seconds, 2001 to 2286
Count = Annotated[int, Field(ge=0, le=2**53)]


class BrowserReport(BaseModel):
    """A report as the page sends it; anything else, or anything out of bounds, is refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    screen: Id
    load: Id
    socket: SocketId | None = None
    page: Path
    lang: Literal["id", "en"]
    resolution: Size
    viewport: Size
    age_seconds: Age
    epoch: Count | None = None
    seq: Count | None = None
    served_at: Instant | None = None
    memory_bytes: Annotated[int, Field(ge=0, le=2**40)] | None = None


@screen_reports.post("/api/v1/screens")
def report() -> tuple[flask.Response | str, int]:
    """204 once recorded; 400 naming each field that is wrong and why; 403 for another holder's screen, 429 past
    a holder's screens."""
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
    try:
        ScreenRegistry(svc.live.redis, svc.keys).report(screen, principal.name, principal.kind, now)
    except ScreenRefused as refused:
        return flask.jsonify({"errors": [{"field": "screen", "error": refused.reason}]}), refused.status
    return "", 204
