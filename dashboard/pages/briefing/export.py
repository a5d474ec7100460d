"""The briefing's figures as files: `/briefing/export.csv` and `/briefing/export.xlsx`, with the briefing page's
query string (`regencies`, `period`, `start`, `end`, `since`, `lang`)."""

from __future__ import annotations

import flask

from dashboard.kit.files import download
from dashboard.kit.reports import report_in_session
from dashboard.pages.briefing.view import compared_among, export_frame, load_briefing, parse_request
from dashboard.services import services
from store.contract import clock
from store.contract.calendar import WIB

exports = flask.Blueprint("briefing_export", __name__)


@exports.get("/briefing/export.csv")
def export_csv() -> flask.Response | tuple[flask.Response, int]:
    return _export("csv")


@exports.get("/briefing/export.xlsx")
def export_xlsx() -> flask.Response | tuple[flask.Response, int]:
    return _export("xlsx")


def _export(kind: str) -> flask.Response | tuple[flask.Response, int]:
    reference, now = services().live.reference, clock.now()
    request = parse_request(flask.request.args, reference, now.astimezone(WIB).date())
    if not request.complete:
        return flask.jsonify({"error": "choose 2 to 6 regencies"}), 400
    among = compared_among(reference, services().settings.provinces)
    briefing = report_in_session(services().sessions, load_briefing, among, request, now)
    name = f"briefing-{request.first.isoformat()}-{request.last.isoformat()}"
    return download(export_frame(briefing, request, reference), kind, name, "briefing")
