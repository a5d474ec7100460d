"""GeoReport v2 answers in the two formats the specification defines: JSON, and XML with its element names, and
its errors (an array of `{code, description}`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

import flask

from store.contract.xml_text import xml_safe

MEDIA_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The element of each item of a list, by the list's name (the specification's XML).
ITEM_TAGS = {
    "service_requests": "request",
    "services": "service",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


class Open311Error(Exception):
    """An answer the specification defines as an error: `status` (400, 403, 404, 413, 429, 503) and why."""

    def __init__(self, status: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def answer(fmt: str, root: str, payload: Sequence[Any] | Mapping[str, Any], status: int = 200) -> flask.Response:
    """`payload` as JSON, or as XML under `root` (a list's items under their `ITEM_TAGS` element)."""
    if fmt == "xml":
        element = Element(root)
        _fill(element, root, payload)
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(element, encoding="utf-8", xml_declaration=False)
    else:
        body = flask.json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return flask.Response(body, status=status, content_type=MEDIA_TYPES.get(fmt, MEDIA_TYPES["json"]))


def error_answer(fmt: str, error: Open311Error) -> flask.Response:
    response = answer(fmt, "errors", [{"code": error.status, "description": error.description}], error.status)
    if error.retry_after is not None:
        response.headers["Retry-After"] = str(max(1, round(error.retry_after)))
    return response


def _fill(element: Element, name: str, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if item is not None:
                _fill(SubElement(element, key), key, item)
    elif isinstance(value, list | tuple):
        for item in value:
            _fill(SubElement(element, ITEM_TAGS.get(name, "item")), ITEM_TAGS.get(name, "item"), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = xml_safe(str(value))
