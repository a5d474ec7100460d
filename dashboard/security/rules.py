"""The access rule table: who may reach each path of the web app and each callback (by the id of what it updates).

Anything without a rule is denied, so a new route or callback stays closed until someone gives it a rule;
`dashboard.security.guard` applies the table to every request, `unruled` lists what has none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import dash

from store.access.models import Role

SIGN_IN_PATH = "/masuk"
SIGN_OUT_PATH = "/keluar"
PUBLIC = "public"  # anyone, signed in or not
OWN_TOKEN = "own-token"  # the view checks its own bearer token (ingest) and is exempt from CSRF
OPEN_STANDARD = "open-standard"  # Open311: the view checks its own api_key where it needs one, any method, no CSRF
BY_PAGE = "by-page"  # Dash's page router: the rule of the path it is asked to render

Access = Role | str

DASH_PAGES_CONTENT = "_pages_content"
DASH_PAGES_LOCATION = "_pages_location"


@dataclass(frozen=True)
class Rule:
    """`kind` "path": `pattern` is a regular expression the whole request path must match.
    `kind` "callback": `pattern` is a prefix of the id (or of a pattern-matching id's `type`) of what the
    callback updates. `access` is the minimum Role, PUBLIC, OWN_TOKEN, OPEN_STANDARD or BY_PAGE."""

    kind: str
    pattern: str
    access: Access
    national: bool = False  # only for those whose scope is every province (the national role)
    # A page's own script posts JSON here: checked as Dash's callbacks are (same origin), not by a CSRF token.
    same_origin: bool = False


def _path(pattern: str, access: Access, national: bool = False, same_origin: bool = False) -> Rule:
    return Rule("path", pattern, access, national, same_origin)


def _callback(prefix: str, access: Access, national: bool = False) -> Rule:
    return Rule("callback", prefix, access, national)


# The rule table. Paths are those of the Flask server; Dash's own endpoints are listed with its default
# prefix "/". A callback updating several things needs the highest role among them.
RULES: tuple[Rule, ...] = (
    _path(r"/", Role.WALL),
    _path(r"/kabkota/[^/]+", Role.OFFICIAL),
    _path(r"/sekarang", Role.OFFICIAL),
    _path(r"/cari", Role.OFFICIAL),
    _path(r"/permohonan/[^/]+", Role.OFFICIAL),
    _path(r"/tunggu", Role.OFFICIAL),
    _path(r"/kunjungan", Role.OFFICIAL),
    _path(r"/tunggu/export\.(csv|xlsx)", Role.OFFICIAL),
    _path(r"/briefing", Role.OFFICIAL),
    _path(r"/briefing/export\.(csv|xlsx)", Role.OFFICIAL),
    _path(r"/ops", Role.OPERATOR),
    _path(r"/serah-terima", Role.OFFICIAL),  # shift handover: officials and operators
    _path(r"/admin", Role.ADMIN),
    _path(r"/api/v1/snapshot(/[^/]+)?", Role.WALL),
    _path(r"/api/v1/view/province:[^/]+", Role.WALL),
    _path(r"/api/v1/view/regency:[^/]+", Role.OFFICIAL),
    _path(r"/api/v1/events", OWN_TOKEN),
    _path(r"/api/v1/gateway/[^/]+", OWN_TOKEN),  # text messages from an SMS or WhatsApp gateway
    _path(r"/open311/v2/(?s:.+)", OPEN_STANDARD),  # an id may hold anything, line breaks too
    _path(r"/api/v1/screens", Role.WALL, same_origin=True),  # a live page's report on its screen
    _path(r"/api/v1/openapi\.json", PUBLIC),
    _path(r"/healthz", PUBLIC),
    _path(r"/lacak", PUBLIC),  # citizens track their requests: a number with its check code, rate-limited
    _path(r"/notices/ack/[^/]+", PUBLIC),  # a notice's signed link: the token is the credential
    _path(re.escape(SIGN_IN_PATH), PUBLIC),
    _path(re.escape(SIGN_OUT_PATH), PUBLIC),
    _path(r"/_dash-component-suites/.+", PUBLIC),
    _path(r"/assets/.+", PUBLIC),
    _path(r"/static/.+", PUBLIC),
    _path(r"/_favicon\.ico", PUBLIC),
    _path(r"/_dash-layout", Role.WALL),
    _path(r"/_dash-dependencies", Role.WALL),
    _path(r"/_dash-update-component", "callback"),
    _path(r"/_reload-hash", Role.WALL),  # development hot reload
    _callback(DASH_PAGES_CONTENT, BY_PAGE),
    _callback("_pages_store", BY_PAGE),
    _callback("_pages_dummy", Role.WALL),  # Dash's clientside page-title update: runs in the browser only
    _callback("wall-", Role.WALL),
    _callback("kabkota-", Role.OFFICIAL),
    _callback("sekarang-", Role.OFFICIAL),
    _callback("briefing-", Role.OFFICIAL),
    _callback("kunjungan-", Role.OFFICIAL),
    _callback("ops-", Role.OPERATOR),
    _callback("handover-", Role.OFFICIAL),
    _callback("admin-", Role.ADMIN),
)


def rule_for_path(path: str, rules: Sequence[Rule] = RULES) -> Rule | None:
    """The first path rule matching the whole of `path`, else None (denied)."""
    return next((r for r in rules if r.kind == "path" and re.fullmatch(r.pattern, path)), None)


def callback_component_ids(callback_key: str, spec: dict[str, Any] | None = None) -> list[str]:
    """Ids (the `type` of pattern-matching ids) of what the callback `callback_key` of `app.callback_map`
    updates; for a callback without outputs, of its inputs."""
    parts = callback_key[2:-2].split("...") if callback_key.startswith("..") else [callback_key]
    ids = [_id_name(part.rsplit(".", 1)[0]) for part in parts if "." in part]
    if spec is not None and spec.get("no_output"):
        ids = [_id_name(json.dumps(i["id"]) if isinstance(i["id"], dict) else i["id"]) for i in spec["inputs"]]
    return ids


def _id_name(raw: str) -> str:
    raw = raw.replace("\\.", ".")  # Dash escapes dots inside ids
    if raw.startswith("{"):
        try:
            return str(json.loads(raw).get("type", raw))
        except ValueError:
            return raw
    return raw


def rule_for_callback(component_id: str, rules: Sequence[Rule] = RULES) -> Rule | None:
    """The callback rule whose prefix matches `component_id` (the longest prefix wins), else None (denied)."""
    matching = [r for r in rules if r.kind == "callback" and component_id.startswith(r.pattern)]
    return max(matching, key=lambda r: len(r.pattern), default=None)


def unruled(app: dash.Dash, rules: Sequence[Rule] = RULES) -> list[str]:
    """Every route, page and callback of `app` that has no rule (and so is denied to everyone)."""
    missing = []
    prefix = app.config.routes_pathname_prefix.rstrip("/")
    for url_rule in app.server.url_map.iter_rules():
        if url_rule.rule in (f"{prefix}/<path:path>",):
            continue  # Dash's page router: each page is checked by its own path below
        sample = re.sub(r"<[^>]+>", "x", url_rule.rule)
        if rule_for_path(sample, rules) is None:
            missing.append(f"route {url_rule.rule}")
    for page in dash.page_registry.values():
        sample = re.sub(r"<[^>]+>", "x", page.get("path_template") or page["path"])
        if rule_for_path(sample, rules) is None:
            missing.append(f"page {sample}")
    for key, spec in app.callback_map.items():
        ids = callback_component_ids(key, spec)
        if not ids or any(rule_for_callback(i, rules) is None for i in ids):
            missing.append(f"callback {key}")
    return missing


def malformed_callback(body: dict[str, Any], callback_map: dict[str, Any]) -> str | None:
    """Why a `_dash-update-component` body (of a known callback) is not what Dash's renderer sends, else None.

    Dash trusts the shape of what its renderer posts; anything else would raise inside it (a 500), so it is
    refused here: the outputs, inputs and state must be as many as the callback has, each a {"id", "property"}
    (or a list of them, for a pattern-matching one)."""
    spec = callback_map[body["output"]]
    expected_outputs = body["output"].count("...") + 1 if body["output"].startswith("..") else 1
    outputs = body.get("outputs")
    outputs = [outputs] if isinstance(outputs, dict) else outputs
    if not isinstance(outputs, list) or len(outputs) != expected_outputs or not all(map(is_target, outputs)):
        return f"outputs: must be {expected_outputs} of {{id, property}}"
    for part in ("inputs", "state"):
        given = body.get(part, [])
        if not isinstance(given, list) or len(given) != len(spec.get(part, [])) or not all(map(is_target, given)):
            return f"{part}: must be {len(spec.get(part, []))} of {{id, property}}"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds: must be a list of strings"
    return None


def is_target(item: Any, nested: bool = False) -> bool:
    """A {"id", "property"} item, or (not nested) a list of them for a pattern-matching one."""
    if isinstance(item, list):
        return not nested and all(is_target(i, nested=True) for i in item)
    return isinstance(item, dict) and isinstance(item.get("id"), str | dict) and isinstance(item.get("property"), str)


def requested_page(body: dict[str, Any], prefix: str) -> str:
    """The path of the page Dash's page router is asked to render (its location's pathname, less `prefix`)."""
    inputs = body.get("inputs")
    for item in inputs if isinstance(inputs, list) else []:
        if isinstance(item, dict) and item.get("id") == DASH_PAGES_LOCATION and item.get("property") == "pathname":
            path = str(item.get("value") or "")
            return "/" + path[len(prefix) :] if path.startswith(prefix) else path
    return ""
