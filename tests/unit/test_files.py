"""Exports write text as text: what a sender put in a title never runs as a spreadsheet formula, and a code point
XML cannot carry (stored before intake refused it) does not break an Excel file."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd

from dashboard.kit.files import download

TITLES = ['=HYPERLINK("http://x","klik")', "+62 812", "-1+1", "@SUM(A1)", "\tjalan", "\rjalan", "biasa"]


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"Judul": [*TITLES, "rusak\ufffe"], "Jumlah": [1, -2, 3, 4, 5, 6, 7, 8]})


def test_csv_neutralises_what_a_spreadsheet_would_run() -> None:
    body = download(_frame(), "csv", "ekspor", "Ekspor").get_data().decode("utf-8")
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert rows[0] == ["Judul", "Jumlah"]
    titles = [row[0] for row in rows[1:]]
    assert titles[:6] == ["'" + title for title in TITLES[:6]]
    assert titles[6] == "biasa"
    assert [row[1] for row in rows[1:3]] == ["1", "-2"]  # numbers stay numbers, negative ones too


def test_excel_writes_every_text_as_text_and_stays_readable() -> None:
    body = download(_frame(), "xlsx", "ekspor", "Ekspor").get_data()
    sheet = openpyxl.load_workbook(io.BytesIO(body))["Ekspor"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.data_type for cell in cells] == ["s"] * 8  # no formula among them
    assert [cell.value for cell in cells[:7]] == TITLES
    assert cells[7].value == "rusak\ufffd"
    assert [row[1].value for row in sheet.iter_rows(min_row=2, max_row=3)] == [1, -2]
