"""What a render worked out from an object, kept while the very same object comes back: a live cycle carries on the
objects it did not change (a region's figures no event touched, an alert not evaluated again), so the render of a
tick works out only what is new."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class KeptBySource(Generic[T]):
    """One value per key, worked out again when its source is another object than the one it came from."""

    def __init__(self) -> None:
        self._kept: dict[Hashable, tuple[object, T]] = {}

    def get(self, key: Hashable, source: object, work: Callable[[], T]) -> T:
        kept = self._kept.get(key)
        if kept is not None and kept[0] is source:  # the source is held here, so no other object can have its id
            return kept[1]
        value = work()
        self._kept[key] = (source, value)
        return value
