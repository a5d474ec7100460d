"""Every document the code and the documents point to exists."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from store.contract.paths import ROOT, VAR_DIR

DOC_REFERENCE = re.compile(r"\b(?:docs/[\w.-]+\.md|README\.md)\b")


def sources() -> Iterator[Path]:
    """The project's Python and Markdown files (not the virtualenv's, the benchmark's npm packages', nor anything
    under var/)."""
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [
            d for d in subfolders if not d.startswith(".") and d != "node_modules" and Path(folder, d) != VAR_DIR
        ]
        yield from (Path(folder, f) for f in files if f.endswith((".py", ".md")))


def test_referenced_documents_exist() -> None:
    missing = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in sources()
        for name in DOC_REFERENCE.findall(path.read_text(encoding="utf-8"))
        if not (ROOT / name).is_file()
    }
    assert not missing
