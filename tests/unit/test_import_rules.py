"""The rooms' import rules (docs/ARCHITECTURE.md), read from every module's source: each room imports only itself
and the rooms below it. Inside `store`, the contract imports nothing else; the live state, the pipeline and the
servers build on the contract alone; the history may read the live state's types; access builds on the history's
database. `ingest` (intake) and `dashboard` (the pages) stand on `store`; `workers` also render the screens'
view-models (`dashboard.screen_model`). Nothing imports `bench`, `tests`, `run` or `wsgi`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT = {"store", "dashboard", "ingest", "workers", "bench", "tests", "run", "wsgi", "migrations"}
# Each room: the project's modules (by prefix) it may import besides its own.
MAY_IMPORT = {
    "store.contract": set(),
    "store.servers": {"store.contract"},
    "store.pipeline": {"store.contract"},
    "store.live": {"store.contract"},
    "store.history": {"store.contract", "store.live"},
    "store.access": {"store.contract", "store.history"},
    "store.notices": {"store.contract", "store.history"},
    "ingest": {"store"},
    "dashboard": {"store"},
    "workers": {"store", "dashboard.screen_model"},
}


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (a function-level import counts too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _broken(room: str) -> list[str]:
    broken = []
    for path in sorted((ROOT / room.replace(".", "/")).rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if not _within(module, room) or any(len(r) > len(room) and _within(module, r) for r in MAY_IMPORT):
            continue  # a room nested inside this one answers for it
        for name in _imports(path):
            if name.split(".")[0] not in PROJECT or _within(name, room):
                continue
            if not any(_within(name, allowed) for allowed in MAY_IMPORT[room]):
                broken.append(f"{path.relative_to(ROOT)} imports {name}")
    return broken


@pytest.mark.parametrize("room", sorted(MAY_IMPORT))
def test_each_room_imports_only_what_it_may(room: str) -> None:
    assert _broken(room) == []


def test_every_module_is_in_a_room() -> None:
    loose = [
        str(path.relative_to(ROOT))
        for top in ("store", "dashboard", "ingest", "workers")
        for path in (ROOT / top).rglob("*.py")
        if not any(_within(".".join(path.relative_to(ROOT).with_suffix("").parts), room) for room in MAY_IMPORT)
    ]
    assert loose == ["store/__init__.py"]


def test_the_rule_reads_a_forbidden_import(tmp_path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from workers.live import thing\n", encoding="utf-8")
    assert "workers.live" in _imports(module)
