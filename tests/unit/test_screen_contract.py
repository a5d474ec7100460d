"""The screens' contract (`dashboard.screen_contract`) on the scripts' side: the constants file the scripts load is
the one the declaration generates, and every field a script reads from a view-model is a declared field of that
view-model, so a field renamed on one side only fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard import screen_contract as contract

ASSETS = Path(contract.__file__).parent / "assets"
# What each script calls a view-model or a part of one (its own names, kept for exactly these).
READERS = {
    "wall.js": {"model": contract.ProvinceModel},
    "wall_draw.js": {
        "model": contract.ProvinceModel,
        "part": contract.MetricPart,
        "kpi": contract.KpiRow,
        "series": contract.Trend,
        "alertRow": contract.AlertRow,
        "view": contract.Focus,
        "notices": contract.Notices,
        "noticeFigure": contract.NoticeFigure,
        "noticeRow": contract.NoticeRow,
    },
    "regency.js": {"model": contract.RegencyModel, "figure": contract.LiveTile, "kpi": contract.KpiStanding},
}


def _reads(text: str, name: str) -> set[str]:
    """The fields a script's text reads from what it calls `name`."""
    return set(re.findall(rf"(?<![\w.]){name}\.([A-Za-z_]\w*)", text))


def test_the_scripts_constants_are_generated_from_the_declaration() -> None:
    assert (ASSETS / "contract.js").read_text("utf-8") == contract.contract_js(), (
        "assets/contract.js is stale: run python -m dashboard.screen_contract"
    )


@pytest.mark.parametrize("script", sorted(READERS))
def test_every_field_a_script_reads_is_declared(script: str) -> None:
    text = (ASSETS / script).read_text("utf-8")
    for name, model in READERS[script].items():
        read = _reads(text, name)
        assert read, f"{script} no longer reads {name}: READERS is out of date"
        assert read - set(model.model_fields) == set(), f"{script} reads undeclared fields of {model.__name__}"


def test_a_field_renamed_in_a_script_only_is_caught() -> None:
    renamed = (ASSETS / "wall_draw.js").read_text("utf-8").replace("part.high", "part.top")
    assert _reads(renamed, "part") - set(contract.MetricPart.model_fields) == {"top"}


def test_every_contract_id_a_script_names_is_declared() -> None:
    declared = contract.page_constants()["ids"]
    named = {
        (path.name, found)
        for path in ASSETS.glob("*.js")
        for found in re.findall(r"\bID\.([A-Z_]+)", path.read_text("utf-8"))
    }
    assert named and {(script, found) for script, found in named if found not in declared} == set()
