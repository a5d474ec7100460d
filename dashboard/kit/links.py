"""Links between pages, in the current request's province (`dashboard.tenancy`)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import flask

from dashboard.tenancy import app_path, province_path
from store.contract.provinces import NATIONAL, PROVINCE_ENVIRON


def wall_href(lang: str) -> str:
    """The wall of the current request's province."""
    return app_path("/" + ("?lang=en" if lang == "en" else ""))


def regency_href(code: str, lang: str) -> str:
    """The regency's page; on the national wall, where the regions are provinces (two-digit codes), the
    province's wall."""
    query = "?lang=en" if lang == "en" else ""
    if "." not in code:
        return province_path(code, f"/{query}")
    return app_path(f"/kabkota/{code}{query}")


def request_href(regency: str, request_id: str, lang: str) -> str:
    """A request's page (`/permohonan/<id>?kab=<regency>`); from a national page, in the regency's province."""
    query = {"kab": regency, **({"lang": "en"} if lang == "en" else {})}
    path = f"/permohonan/{quote(request_id, safe='')}?{urlencode(query)}"
    national = flask.has_request_context() and flask.request.environ.get(PROVINCE_ENVIRON) == NATIONAL
    return province_path(regency.split(".")[0], path) if national else app_path(path)


def search_href(lang: str) -> str:
    """The request search (`/cari`)."""
    return app_path("/cari" + ("?lang=en" if lang == "en" else ""))
