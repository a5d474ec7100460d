"""The parts of the OpenAPI description every group of paths shares."""

from __future__ import annotations

from typing import Any


def error_response(description: str, *headers: str) -> dict[str, Any]:
    """An error answer: the JSON `Error` schema, with the named headers."""
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if headers:
        response["headers"] = {name: {"$ref": f"#/components/headers/{name}"} for name in headers}
    return response
