"""A page's query parameters as its layout takes them: one value each. Dash's router hands a layout a list for a
parameter given more than once (`?period=7d&period=30d`); the first one counts, as in Flask's `request.args.get`,
which the exports read."""

from __future__ import annotations

import functools
from collections.abc import Callable, MutableMapping
from typing import Any

_MARK = "takes_first_values"


def first_values(layout: Callable[..., Any]) -> Callable[..., Any]:
    """`layout`, called with the first value of each repeated parameter."""

    @functools.wraps(layout)
    def single(**query: Any) -> Any:
        return layout(**{name: value[0] if isinstance(value, list) else value for name, value in query.items()})

    setattr(single, _MARK, True)
    return single


def one_value_per_parameter(registry: MutableMapping[str, dict[str, Any]]) -> None:
    """Make every page of Dash's page registry take one value per parameter (once, whatever the apps built)."""
    for page in registry.values():
        layout = page.get("layout")
        if callable(layout) and not getattr(layout, _MARK, False):
            page["layout"] = first_values(layout)
