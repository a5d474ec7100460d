"""/ops stays light whatever the number of screens: the worst are listed, the rest counted."""

from __future__ import annotations

from dashboard.pages.ops.view import SCREENS_LISTED, screens_panel
from store.live.screens import Screen, ScreenReport, ScreenRules

T0 = 1_800_000_000.0


def _screen(n: int) -> Screen:
    report = ScreenReport(f"{n:032x}", "1" * 32, None, "/", "id", "1920×1080", "1920×1080", T0)
    return Screen(report, "dinding", "wall", T0)


def test_the_screens_panel_lists_the_worst_and_counts_the_rest() -> None:
    panel = screens_panel([_screen(n) for n in range(SCREENS_LISTED + 150)], T0, ScreenRules(), "id")
    title, listing, beyond = panel
    assert title.children == f"Layar yang dipantau: {SCREENS_LISTED + 150}"
    assert len(listing.children[1].children) == SCREENS_LISTED  # the table's body rows
    assert beyond.children == "… dan 150 layar lagi, yang paling buruk di atas"
