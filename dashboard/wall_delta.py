"""Send a page only what changed: each output's source is digested, and an output whose digest equals the one
the page last received (kept in the page's own store, so a page that missed an answer still gets it) is
`no_update`, neither rendered nor sent."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dash import no_update


def digest(source: Any) -> str:
    """A short, process-independent digest of plain data (dicts keep their order, so equal data gives equal
    text)."""
    return hashlib.blake2b(repr(source).encode(), digest_size=8).hexdigest()


class Delta:
    """The outputs of one answer to one page, against the digests of the page's previous answer."""

    def __init__(self, previous: Mapping[str, Any] | None) -> None:
        self.previous: Mapping[str, Any] = previous or {}
        self.digests: dict[str, Any] = {}

    def changed(self, key: str, source: Any) -> bool:
        """Whether `source` differs from what the page last received under `key` (recorded for the next answer)."""
        self.digests[key] = new = digest(source)
        return self.previous.get(key) != new

    def one(self, key: str, source: Any, render: Callable[[Any], Any]) -> Any:
        """`render(source)`, or `no_update` when the page already shows it."""
        return render(source) if self.changed(key, source) else no_update

    def each(self, key: str, sources: Sequence[Any], render: Callable[[Any], Any]) -> list[Any]:
        """One output per source (a pattern-matching `ALL` output), each `no_update` when unchanged."""
        self.digests[key] = new = [digest(source) for source in sources]
        old = self.previous.get(key) or []
        return [
            no_update if i < len(old) and old[i] == d else render(source)
            for i, (source, d) in enumerate(zip(sources, new, strict=True))
        ]

    def seen(self, key: str) -> bool:
        """Whether the page has received this output before (so a patch has something to apply to)."""
        return key in self.previous
