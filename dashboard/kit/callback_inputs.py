"""What a server callback accepts from the page, checked before it runs: each callback's type hints say it, pydantic
checks it (`validate_call`), and a value of another type (a language store that is null or a number, a date given
as a number, a list that is not one) is answered 400 naming the argument, never a 500. The page's own stores hold
server-made values; anything else in them came from someone editing the request."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import flask
from pydantic import ValidationError, validate_call
from typing_extensions import TypedDict  # pydantic needs it on Python < 3.12

Function = TypeVar("Function", bound=Callable[..., Any])


class LangTexts(TypedDict):
    """A page's store of texts, as far as a server callback reads it."""

    lang: Literal["id", "en"]


class NowPage(LangTexts):
    """The "now" page's store: its language and the table's order."""

    sort: str
    dir: Literal["asc", "desc"]


class BadCallbackInput(ValueError):
    """A callback's input of a type the callback does not take."""


def checked(function: Function) -> Function:
    """`function`, refusing arguments that do not match its type hints with `BadCallbackInput`."""
    validated = validate_call(function)

    @functools.wraps(function)
    def call(*args: Any) -> Any:
        try:
            return validated(*args)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
            raise BadCallbackInput(problems) from None

    return call  # type: ignore[return-value]


def bad_input_answer(error: BadCallbackInput) -> tuple[flask.Response, int]:
    return flask.jsonify({"error": f"callback input: {error}"}), 400
