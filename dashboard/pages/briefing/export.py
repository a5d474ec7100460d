"""The briefing's figures as files: `/briefing/export.csv` and `/briefing/export.xlsx`, with the briefing page's
query string (`regencies`, `period`, `start`, `end`)."""

from __future__ import annotations

import flask
import pandas as pd

import store.history.queries as queries
from dashboard.kit.files import download
from dashboard.pages.briefing.view import compared_among, export_rows, parse_request
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
    reference = services().live.reference
    request = parse_request(flask.request.args, reference, clock.now().astimezone(WIB).date())
    if not request.complete:
        return flask.jsonify({"error": "choose 2 to 6 regencies"}), 400
    with services().sessions() as session:
        comparison = queries.compare_regencies(
            session,
            request.codes,
            compared_among(reference, services().settings.provinces),
            request.first,
            request.last,
        )
    header, *rows = export_rows(comparison, reference)
    name = f"briefing-{request.first.isoformat()}-{request.last.isoformat()}"
    # Kept as objects: a count stays an integer beside the median, which may have a half.
    return download(pd.DataFrame(rows, columns=header, dtype=object), kind, name, "briefing")
