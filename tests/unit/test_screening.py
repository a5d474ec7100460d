"""A screened title hides personal data however it is written: phone numbers and NIKs with any separators, e-mail
addresses with their @ and dots spelt out or full-width. Read conservatively: a date goes too."""

from __future__ import annotations

import pytest

from store.contract.screening import HIDDEN, screened


@pytest.mark.parametrize(
    "title",
    [
        "hubungi 0812/3456/7890",
        "hubungi 0812_3456_7890",
        "hubungi 0812-3456-7890",
        "hubungi +62 812 3456 7890",
        "hubungi ０８１２３４５６７８９０",
        "NIK 1271/0101/0101/0001",
        "NIK 1271:0101:0101:0001",
        "surel budi [at] example dot id",
        "surel budi (at) example (dot) co (dot) id",
        "surel budi @ example.id",
        "surel budi＠example.id",
        "surel budi at example dot id",
    ],
)
def test_personal_data_is_hidden_however_it_is_written(title: str) -> None:
    shown = screened(title)
    assert shown is not None and shown.endswith(HIDDEN) and not any(ch.isdigit() for ch in shown), shown
    assert "budi" not in shown and "example" not in shown


def test_an_ordinary_title_is_left_as_it_is() -> None:
    assert (
        screened("Jalan berlubang di Jl. Gatot Subroto No. 12, RT 3")
        == "Jalan berlubang di Jl. Gatot Subroto No. 12, RT 3"
    )
    assert screened("Banjir 2 meter sejak 3 hari at Medan") == "Banjir 2 meter sejak 3 hari at Medan"
