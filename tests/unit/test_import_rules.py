"""The rooms' import rules (docs/ARCHITECTURE.md), read from every module's source: `store` (the contract, the
live state and the history) imports no other room; `dashboard` (the pages) never imports `ingest` (the intake and
the workers); `ingest` takes from `dashboard` only the view-models its live worker renders for the screens; none
of them imports `bench` or `tests`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROOMS = ("store", "dashboard", "ingest")
FORBIDDEN = {
    "store": {"dashboard", "ingest", "bench", "tests", "run", "wsgi"},
    "dashboard": {"ingest", "bench", "tests", "run", "wsgi"},
    "ingest": {"bench", "tests", "run", "wsgi"},
}
# What a room may take from a room it otherwise may not: the live worker renders the screens' view-models.
ALLOWED_FROM_DASHBOARD = {"ingest": {"dashboard.screen_model"}}


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (a function-level import counts too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _broken(room: str) -> list[str]:
    broken = []
    for path in sorted((ROOT / room).rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            foreign_page = top == "dashboard" != room and name not in ALLOWED_FROM_DASHBOARD.get(room, set())
            if top in FORBIDDEN[room] or foreign_page:
                broken.append(f"{path.relative_to(ROOT)} imports {name}")
    return broken


@pytest.mark.parametrize("room", ROOMS)
def test_each_room_imports_only_what_it_may(room: str) -> None:
    assert _broken(room) == []


def test_the_rule_reads_a_forbidden_import(tmp_path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from ingest.api import thing\n", encoding="utf-8")
    assert "ingest.api" in _imports(module)
