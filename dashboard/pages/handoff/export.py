"""Where requests wait, as files: `/tunggu/export.csv` and `/tunggu/export.xlsx`, with the page's query string
(`kab`, `period`, `group`, `lang`)."""

from __future__ import annotations

import flask

from dashboard.kit.files import download
from dashboard.kit.reports import report_in_session
from dashboard.kit.titles import asked_lang
from dashboard.pages.handoff.view import analyse, export_frame, parse_request
from dashboard.services import services
from store.contract import clock
from store.contract.calendar import WIB

exports = flask.Blueprint("handoff_export", __name__)


@exports.get("/tunggu/export.csv")
def export_csv() -> flask.Response:
    return _export("csv")


@exports.get("/tunggu/export.xlsx")
def export_xlsx() -> flask.Response:
    return _export("xlsx")


def _export(kind: str) -> flask.Response:
    now = clock.now()
    reference = services().live.reference
    request = parse_request(flask.request.args, reference, now.astimezone(WIB).date())
    analysis = report_in_session(services().sessions, analyse, request, now)
    name = f"tunggu-{request.area}-{request.group}-{request.first.isoformat()}-{request.last.isoformat()}"
    return download(export_frame(analysis, request, reference, asked_lang()), kind, name, "tunggu")
