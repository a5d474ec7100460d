"""The pages' scripts find their elements by the ids the layouts give them: every id a script names is declared
once in `dashboard.kit.ids`, so renaming one there cannot leave a script looking for the old one."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.kit import ids

ASSETS = Path(__file__).parents[2] / "dashboard" / "assets"
NAMED = re.compile(r"getElementById\(\s*[\"']([^\"']+)[\"']\s*\)")


def test_every_id_a_script_names_is_declared():
    declared = {value for name, value in vars(ids).items() if name.isupper() and isinstance(value, str)}
    named = {(path.name, found) for path in ASSETS.glob("*.js") for found in NAMED.findall(path.read_text("utf-8"))}
    assert named, "the scripts name no element: the pattern no longer matches them"
    assert {(script, found) for script, found in named if found not in declared} == set()
