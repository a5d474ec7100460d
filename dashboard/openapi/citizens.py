"""The OpenAPI description of the citizens' loop: the text-message gateway's webhook, the tracking page and a deadline
notice's link (the last two HTML, described so that schemathesis fuzzes them too)."""

from __future__ import annotations

from typing import Any

from dashboard.i18n import LANGS
from dashboard.openapi.responses import error_response
from store.contract.gateway import CHANNEL_PREFIXES, GATEWAY_PATH, ID_FIELDS, REPLY_FORMS, SENDER_FIELDS, TEXT_FIELDS
from store.contract.tracking import TRACKING_PATH
from store.notices.links import ACK_PATH

# The pages outside Dash take their language from the query, Indonesian by default.
_LANG_QUERY = {"name": "lang", "in": "query", "required": False, "schema": {"enum": list(LANGS)}}


def citizen_paths() -> dict[str, Any]:
    """The gateway's, the tracking page's and a notice link's paths."""
    return {
        f"{GATEWAY_PATH}/{{channel}}": {
            "post": {
                "summary": "A citizen's text message, from an SMS or WhatsApp gateway",
                "description": (
                    "`LAPOR <KEYWORD> <REGENCY> <text>` becomes one `received` request; anything else gets a "
                    "short answer saying what to send, and a dead letter. Every message read is answered 200 "
                    "with the reply to send to its sender (see README: Text messages)."
                ),
                "security": [{"ingestToken": []}],
                "parameters": [
                    {
                        "name": "channel",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": list(CHANNEL_PREFIXES)},
                    },
                    {
                        "name": "reply",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": list(REPLY_FORMS)},
                    },
                    {
                        "name": "token",
                        "in": "query",
                        "required": False,
                        "description": "The ingest token, for a gateway that only takes a URL (the header wins)",
                        "schema": {"type": "string"},
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        media: {"schema": _gateway_message()}
                        for media in ("application/x-www-form-urlencoded", "application/json")
                    },
                },
                "responses": {
                    "200": {
                        "description": "Read: the reply to send back, as `?reply=` asks",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/GatewayReply"}},
                            "text/plain": {"schema": {"type": "string"}},
                            "application/xml": {"schema": {"type": "string"}},
                        },
                    },
                    "400": error_response(
                        "No text field, a body that is neither a form nor one JSON object, or `reply`"
                    ),
                    "401": error_response("No valid ingest token"),
                    "403": error_response("The token may send for none of the provinces served here"),
                    "404": error_response("Not a channel served here"),
                    "429": error_response(
                        "Too many requests or failed tokens: wait Retry-After seconds", "Retry-After"
                    ),
                    "503": error_response("Nothing kept: the event store is unavailable; send it again", "Retry-After"),
                },
            }
        },
        f"{ACK_PATH}/{{token}}": {
            method: {
                "summary": summary,
                "parameters": [
                    {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}},
                    _LANG_QUERY,
                ],
                "responses": _html_pages(
                    ("200", "The escalation, to confirm, or acknowledged"),
                    ("400", "A confirmation without the page's CSRF token"),
                    ("404", "Not a link this deployment signed"),
                ),
            }
            for method, summary in (
                ("get", "A deadline notice's link: the escalation, and a button to acknowledge it (HTML)"),
                ("post", "Acknowledge the escalation in the recipient's name (the page's form)"),
            )
        },
        TRACKING_PATH: {
            "get": {
                "summary": "A citizen's page: a request's standing by its tracking number and check code (HTML)",
                "parameters": [
                    {"name": "nomor", "in": "query", "required": False, "schema": {"type": "string"}},
                    {"name": "kode", "in": "query", "required": False, "schema": {"type": "string"}},
                    _LANG_QUERY,
                ],
                "responses": _html_pages(
                    ("200", "The request, the empty form, or a number whose request is being recorded"),
                    ("404", "No request has this number with this code, or tracking is not set up here"),
                    ("429", "Too many look-ups from this address"),
                    ("503", "Its stores are unavailable: try again shortly"),
                ),
            }
        },
    }


def citizen_schemas() -> dict[str, Any]:
    """The schemas of the gateway's answer and of a tracking receipt."""
    return {
        "GatewayReply": {
            "type": "object",
            "required": ["reply", "accepted", "tracking"],
            "additionalProperties": False,
            "properties": {
                "reply": {"type": "string", "description": "The text to send back, in Indonesian"},
                "accepted": {"type": "boolean", "description": "Whether the message became a request"},
                "tracking": {
                    "oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/TrackingReceipt"}],
                    "description": "The new request's number, check code and page (null if refused, or "
                    "where the deployment has no TRACKING_KEY)",
                },
            },
        },
        "TrackingReceipt": receipt_schema(index=False),
    }


def _html_pages(*answers: tuple[str, str]) -> dict[str, Any]:
    """The answers of a plain HTML page: (status, what it means) each."""
    html = {"text/html": {"schema": {"type": "string"}}}
    return {status: {"description": description, "content": html} for status, description in answers}


def receipt_schema(index: bool) -> dict[str, Any]:
    """A new request's tracking number, check code and page, as intake hands them back (with the item's `index`
    in a batch)."""
    properties: dict[str, Any] = {"index": {"type": "integer", "minimum": 0}} if index else {}
    properties |= {
        "number": {"type": "string", "description": "`<regency>:<request_id>`"},
        "code": {"type": "string", "pattern": "^[A-Z2-7]{6}$"},
        "url": {"type": "string", "format": "uri"},
    }
    return {"type": "object", "required": list(properties), "additionalProperties": False, "properties": properties}


def _gateway_message() -> dict[str, Any]:
    """A gateway's message: its fields under any of the common gateways' names (the first present wins)."""
    fields = {name: {"type": "string"} for name in (*TEXT_FIELDS, *ID_FIELDS, *SENDER_FIELDS)}
    return {
        "type": "object",
        "properties": fields,
        "description": f"The text as one of {', '.join(TEXT_FIELDS)}; the gateway's message id as one of "
        f"{', '.join(ID_FIELDS)}; the sender as one of {', '.join(SENDER_FIELDS)}",
        "examples": [{"MessageSid": "SM0001", "From": "+6281200000000", "Body": "LAPOR JALAN MEDAN Jalan berlubang"}],
    }
