"""The OpenAPI 3.1 description of `/api/v1` and `/healthz` (and, from `citizens`, the citizens' loop: the gateway,
the tracking page, a notice's link), served at `/api/v1/openapi.json`.

The event schemas come from the validator itself (`store.contract.events`, through pydantic's JSON Schema), with the
province's own codes as enums, so the description cannot drift from what the intake accepts. Schemathesis checks
the running app against it in the test suite (`tests/integration/test_openapi.py`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import TypeAdapter

from dashboard.i18n import LANGS
from dashboard.openapi.citizens import citizen_paths, citizen_schemas, receipt_schema
from dashboard.openapi.responses import error_response
from dashboard.screen_reports import BrowserReport
from store.contract import clock
from store.contract.events import MAX_ITEMS, MAX_REJECTIONS_LISTED, Event
from store.contract.reference import Reference

SCHEMAS = "#/components/schemas/{model}"


def _screen_errors(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScreenErrors"}}},
    }


def _event_schemas(reference: Reference) -> dict[str, Any]:
    schema = TypeAdapter(Event).json_schema(ref_template=SCHEMAS)
    definitions = schema.pop("$defs")
    for name in ("ServiceRequestEvent", "KpiEvent"):
        properties = definitions[name]["properties"]
        properties["regency_code"]["enum"] = sorted(reference.regencies)
        properties["ts"]["description"] = "ISO 8601 with an offset; at most 10 minutes ahead and 30 days back"
    definitions["ServiceRequestEvent"]["properties"]["category"]["enum"] = sorted(reference.categories)
    definitions["KpiEvent"]["properties"]["metric"]["enum"] = sorted(reference.kpis)
    definitions["Event"] = schema
    return definitions


def _example_event(reference: Reference, now: datetime) -> dict[str, Any]:
    code = sorted(reference.regencies)[0]
    return {
        "event_id": "contoh-0001-1",
        "type": "service_request",
        "request_id": "contoh-0001",
        "regency_code": code,
        "status": "received",
        "category": sorted(reference.categories)[0],
        "channel": "app",
        "opd": "Dinas Komunikasi dan Informatika",
        "ts": now.isoformat(timespec="seconds"),
        "title": "Lampu jalan mati",
    }


def _view_paths(reference: Reference) -> dict[str, Any]:
    """A room's whole view-model, as a live page fetches it when it missed a push (`assets/push.js`)."""
    lang = {"name": "lang", "in": "path", "required": True, "schema": {"type": "string", "enum": list(LANGS)}}
    code = {
        "name": "code",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "examples": [sorted(reference.regencies)[0]]},
    }
    responses = {
        "200": {
            "description": "The room's whole view-model, as last pushed",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ViewPush"}}},
        },
        "204": {"description": "Not rendered yet: the room's first push is on its way"},
        "401": error_response("No valid wall token or session", "WWW-Authenticate"),
        "403": error_response("The room's page is not for this token or user"),
        "404": error_response("No such language or regency"),
        "429": error_response("Too many requests or failed tokens", "Retry-After"),
        "503": error_response("Redis unreachable", "Retry-After"),
    }
    return {
        "/api/v1/view/province:{lang}": {
            "get": {
                "summary": "The province wall's view-model in a language",
                "security": [{"wallToken": []}],
                "parameters": [lang],
                "responses": responses,
            }
        },
        "/api/v1/view/regency:{code}:{lang}": {
            "get": {
                "summary": "A regency page's view-model in a language (officials and above)",
                "security": [{"wallToken": []}],
                "parameters": [code, lang],
                "responses": responses,
            }
        },
    }


def openapi_document(reference: Reference, now: datetime | None = None) -> dict[str, Any]:
    """The description for the province of `reference` (its regencies, categories and metrics as enums)."""
    now = now or clock.now()
    example = _example_event(reference, now)
    figures = {"type": "object", "description": "A regency's figures today (see README: Snapshot)"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Smart Province Command Centre API",
            "version": "1",
            "description": (
                "Events in (service requests and KPI samples, version 1), live figures and health out. "
                f"Province {reference.province} ({reference.province_name})."
            ),
        },
        "paths": {
            "/api/v1/events": {
                "post": {
                    "summary": "Send events",
                    "description": (
                        "A JSON event, a JSON array of events, or NDJSON (one event per line). Each item is "
                        "validated on its own against `Event`: the valid ones are kept (all of them or, on 503, "
                        "none), each invalid one is answered by its index with the field and the reason and kept "
                        "in the dead-letter stream. Resending a body is safe: an event_id counts once. "
                        f"At most {MAX_ITEMS} items per request."
                    ),
                    "security": [{"ingestToken": []}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [
                                        {"type": "object"},
                                        {"type": "array", "maxItems": MAX_ITEMS},
                                    ],
                                    "description": "An event or an array of events; see `Event` for each item",
                                },
                                "examples": {
                                    "one": {"value": example},
                                    "two": {"value": [example, {**example, "event_id": "contoh-0001-2"}]},
                                },
                            },
                            "application/x-ndjson": {"schema": {"type": "string"}},
                        },
                    },
                    "responses": {
                        "202": {
                            "description": "Accepted: the valid items are kept; the invalid ones are listed",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Accepted"}}},
                        },
                        "400": error_response("The body is not JSON (or NDJSON) at all"),
                        "401": error_response("No valid ingest token", "WWW-Authenticate"),
                        "413": error_response(f"The body is over the size limit, or has more than {MAX_ITEMS} items"),
                        "415": error_response("Not application/json or application/x-ndjson"),
                        "429": error_response(
                            "Too many requests or failed tokens: wait Retry-After seconds", "Retry-After"
                        ),
                        "503": error_response(
                            "Nothing kept: the event store is unreachable, or the stream is full because a worker "
                            "is behind. Send the same body again after Retry-After seconds",
                            "Retry-After",
                        ),
                    },
                }
            },
            **citizen_paths(),
            "/api/v1/snapshot": {
                "get": {
                    "summary": "Live figures of the province and every regency",
                    "security": [{"wallToken": []}],
                    "responses": {
                        "200": {
                            "description": "The snapshot",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Snapshot"}}},
                        },
                        "401": error_response("No valid wall token or session", "WWW-Authenticate"),
                        "429": error_response("Too many requests or failed tokens", "Retry-After"),
                        "503": error_response("Redis unreachable", "Retry-After"),
                    },
                }
            },
            "/api/v1/snapshot/{code}": {
                "get": {
                    "summary": "Live figures of one regency",
                    "security": [{"wallToken": []}],
                    "parameters": [
                        {
                            "name": "code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "examples": [sorted(reference.regencies)[0]]},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The regency's figures",
                            "content": {"application/json": {"schema": figures | {"required": ["code", "as_of"]}}},
                        },
                        "401": error_response("No valid wall token or session", "WWW-Authenticate"),
                        "404": error_response("No such regency in the province"),
                        "429": error_response("Too many requests or failed tokens", "Retry-After"),
                        "503": error_response("Redis unreachable", "Retry-After"),
                    },
                }
            },
            "/api/v1/screens": {
                "post": {
                    "summary": "A live page's report on its screen (every 10 s; listed on /ops, watched for alerts)",
                    "security": [{"wallToken": []}],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScreenReport"}}},
                    },
                    "responses": {
                        "204": {"description": "Recorded"},
                        "400": _screen_errors("A field wrong, named with why (or the body not a JSON object)"),
                        "401": error_response("No valid wall token or session", "WWW-Authenticate"),
                        "403": _screen_errors("The screen id is another wall token's or user's"),
                        "429": {
                            "description": "Past a holder's screens (errors), or too many requests or failed tokens",
                            "headers": {"Retry-After": {"$ref": "#/components/headers/Retry-After"}},
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "anyOf": [
                                            {"$ref": "#/components/schemas/ScreenErrors"},
                                            {"$ref": "#/components/schemas/Error"},
                                        ]
                                    }
                                }
                            },
                        },
                        "503": error_response("Redis unreachable", "Retry-After"),
                    },
                }
            },
            **_view_paths(reference),
            "/healthz": {
                "get": {
                    "summary": "Health of Redis, the workers and the event stream (open to all; no figures)",
                    "responses": {
                        status: {
                            "description": description,
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}},
                        }
                        for status, description in (
                            ("200", "Healthy"),
                            ("503", "Redis unreachable, a worker silent, or the event stream full"),
                        )
                    },
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "This description",
                    "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}},
                }
            },
        },
        "components": {
            "securitySchemes": {
                "ingestToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An ingest token (store.access.admin)",
                },
                "wallToken": {"type": "http", "scheme": "bearer", "description": "A wall token (store.access.admin)"},
            },
            "headers": {
                "Retry-After": {"schema": {"type": "string", "pattern": "^[0-9]+$"}, "description": "Seconds"},
                "WWW-Authenticate": {"schema": {"type": "string"}},
            },
            "schemas": {
                **_event_schemas(reference),
                "ScreenReport": BrowserReport.model_json_schema(ref_template=SCHEMAS),
                "ScreenErrors": {
                    "type": "object",
                    "required": ["errors"],
                    "properties": {
                        "errors": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["field", "error"],
                                "properties": {"field": {"type": "string"}, "error": {"type": "string"}},
                            },
                        }
                    },
                },
                **citizen_schemas(),
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string", "description": "What is wrong, naming the field"}},
                },
                "Accepted": {
                    "type": "object",
                    "required": ["accepted", "rejected", "rejected_count", "tracking"],
                    "additionalProperties": False,
                    "properties": {
                        "accepted": {"type": "integer", "minimum": 0},
                        "rejected": {
                            "type": "array",
                            "maxItems": MAX_REJECTIONS_LISTED,
                            "description": f"The first {MAX_REJECTIONS_LISTED} rejected items",
                            "items": {
                                "type": "object",
                                "required": ["index", "error"],
                                "additionalProperties": False,
                                "properties": {
                                    "index": {"type": "integer", "minimum": 0},
                                    "error": {"type": "string", "description": "`field: why`, `; `-separated"},
                                },
                            },
                        },
                        "rejected_count": {"type": "integer", "minimum": 0},
                        "tracking": {
                            "type": "array",
                            "description": "For each accepted new request (status `received`): the tracking number "
                            "and check code to give its citizen, and the public page that shows its standing "
                            "(`/lacak`). Empty where the deployment has no TRACKING_KEY.",
                            "items": receipt_schema(index=True),
                        },
                    },
                },
                "ViewPush": {
                    "type": "object",
                    "required": ["room", "epoch", "seq", "served_at", "model"],
                    "properties": {
                        "room": {"type": "string"},
                        "epoch": {"type": "integer", "description": "The live worker's run; a new one starts seq over"},
                        "seq": {"type": "integer", "minimum": 0, "description": "0: rendered on request"},
                        "served_at": {"type": "integer", "description": "Server time, ms since the epoch"},
                        "model": {"type": "object"},
                    },
                },
                "Snapshot": {
                    "type": "object",
                    "required": ["province", "as_of", "totals", "regencies"],
                    "properties": {
                        "province": {"type": "string", "const": reference.province},
                        "as_of": {"type": "string", "format": "date-time"},
                        "totals": {"type": "object"},
                        "regencies": {"type": "object", "additionalProperties": figures},
                    },
                },
                "Health": {
                    "type": "object",
                    "required": ["ok", "redis", "workers", "stream", "archive"],
                    "properties": {
                        "ok": {"type": "boolean"},
                        "redis": {"type": "object", "required": ["ok"]},
                        "workers": {"type": "object"},
                        "stream": {"type": ["object", "null"]},
                        "archive": {"type": ["object", "null"]},
                    },
                },
            },
        },
    }
