"""Which province a request is for. A deployment of several provinces (PROVINCES) serves each at `/p/<code>/...`
(`/p/35/kabkota/35.78`) and the national wall at `/nasional/` (the nation, `NATIONAL`, as a province of
provinces: `store.live.national`); the paths without a prefix stay those of the home province (PROVINCE), so a
single-province install keeps its addresses.

The prefix is taken off at the WSGI level and kept as the script name: every route, the rule table and Dash's
page router see the same paths as ever, and links built from the script root (`dash.get_relative_path`,
`flask.url_for`) keep the province.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import dash
import flask
from dash._utils import AttributeDict

from store.contract.provinces import NATIONAL, PROVINCE_ENVIRON

_PREFIX = re.compile(r"^/(?:p/([0-9]{2})|(nasional))(/.*)?$")
_NOT_SERVED = b'{"error": "this deployment does not serve that province"}'


def split_province(path: str) -> tuple[str | None, str]:
    """(province, rest) of a path: "/p/35/ops" -> ("35", "/ops"); "/nasional/" -> (NATIONAL, "/");
    "/ops" -> (None, "/ops"); "/p/00/" -> ("", "/"), no province."""
    match = _PREFIX.match(path or "")
    if match is None:
        return None, path
    code, national, rest = match.groups()
    if code == NATIONAL:  # the nation is /nasional/, never /p/00/
        return "", rest or "/"
    return (NATIONAL if national else code), rest or "/"


def script_name(province: str) -> str:
    return "/nasional" if province == NATIONAL else f"/p/{province}"


def province_path(province: str, path: str) -> str:
    """The address of `path` in `province`'s part of a deployment of several provinces."""
    return script_name(province) + path


class ProvincePrefix:
    """WSGI middleware: `/p/<code>/rest` is served as `/rest` for province `code` (in `environ[PROVINCE_ENVIRON]`),
    with `/p/<code>` added to the script name; a province the deployment does not serve is a 404."""

    def __init__(self, app: Callable[..., Iterable[bytes]], provinces: Iterable[str]) -> None:
        self.app = app
        self.provinces = frozenset(provinces)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        province, rest = split_province(environ.get("PATH_INFO", ""))
        if province is not None:
            if province not in self.provinces:
                start_response("404 Not Found", [("Content-Type", "application/json")])
                return [_NOT_SERVED]
            environ[PROVINCE_ENVIRON] = province
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + script_name(province)
            environ["PATH_INFO"] = rest
        return self.app(environ, start_response)


def app_path(path: str) -> str:
    """`path` in the current request's part of the app (its script root), e.g. "/p/35/kabkota/35.78"; as is
    outside a request (a view-model rendered by a worker or a benchmark)."""
    return (flask.request.script_root if flask.has_request_context() else "") + path


def request_province(home: str) -> str:
    """The province of the current request: its `/p/<code>` prefix, else the home province."""
    return flask.request.environ.get(PROVINCE_ENVIRON, home) if flask.has_request_context() else home


class _PrefixPerRequest(AttributeDict):
    """Dash's config, with the prefix of the pages' own requests (scripts, layout, callbacks) taken from the
    request being served, so a page opened at `/p/35/` talks to `/p/35/_dash-update-component`."""

    @property
    def requests_pathname_prefix(self) -> str:
        base = self["requests_pathname_prefix"]
        return flask.request.script_root + base if flask.has_request_context() else base


def serve_under_script_root(app: dash.Dash) -> None:
    """Make `app` follow the script root of each request. Dash reads its prefix from this one config object
    everywhere (its module-level copies are the same object), so changing the object's class is enough."""
    object.__setattr__(app.config, "__class__", _PrefixPerRequest)
