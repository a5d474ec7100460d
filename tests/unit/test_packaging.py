"""pyproject.toml describes the package; requirements.txt is its pinned lock: every dependency (and the "dev"
extra) is pinned there, at a version inside the range pyproject.toml gives."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def _pins() -> dict[str, str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    pairs = (line.split("==", 1) for line in lines if "==" in line and not line.startswith("#"))
    return {canonicalize_name(name): pinned.strip() for name, pinned in pairs}


def test_every_dependency_is_pinned_inside_its_range() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _pins()
    wanted = [Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["dev"]]]
    missing = [str(req) for req in wanted if canonicalize_name(req.name) not in pins]
    outside = [
        f"{req} (pinned {pins[canonicalize_name(req.name)]})"
        for req in wanted
        if canonicalize_name(req.name) in pins and pins[canonicalize_name(req.name)] not in req.specifier
    ]
    assert (missing, outside) == ([], [])
