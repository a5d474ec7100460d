"""The pages' figures as files, through pandas DataFrames: CSV (comma separated, dot decimals, UTF-8) and Excel
(numbers stay numbers, columns as wide as their texts), answered as a download that is never cached. The frames
carry their headers in the page's language and their figures in the units the page shows.

Every export goes through `download`, which writes text as text: a spreadsheet must never run what a sender put in a
title. In CSV a text that a spreadsheet would read as a formula (it begins with =, +, -, @, a tab or a CR) is written
with a leading apostrophe (OWASP's advice for CSV injection); in Excel every text is a text cell, never a formula,
and a code point XML cannot carry is replaced."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import flask
import pandas as pd
from openpyxl.utils import get_column_letter

from store.contract.xml_text import xml_safe

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_WIDTH = 60  # characters: a longer text wraps in its cell rather than widening the sheet past a screen
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def download(frame: pd.DataFrame, kind: str, name: str, sheet: str) -> flask.Response:
    """`frame` as `name`.csv or `name`.xlsx (`kind`), with the sheet named `sheet`."""
    if kind == "csv":
        body = _texts(frame, _csv_text).to_csv(index=False, lineterminator="\r\n").encode("utf-8")  # RFC 4180
        mimetype = "text/csv; charset=utf-8"
    else:
        out = io.BytesIO()
        frame = _texts(frame, xml_safe)
        with pd.ExcelWriter(out, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False, sheet_name=sheet)
            _texts_as_text(writer.sheets[sheet])
            _fit_columns(writer.sheets[sheet], frame)
        body, mimetype = out.getvalue(), XLSX
    response = flask.Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _csv_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _texts(frame: pd.DataFrame, rewrite: Callable[[str], str]) -> pd.DataFrame:
    """`frame` with `rewrite` applied to every text in it (headers included); numbers and dates as they are."""
    out = frame.rename(columns=lambda column: rewrite(column) if isinstance(column, str) else column)
    for column in out.columns:
        values = out[column].tolist()
        if any(isinstance(value, str) for value in values):  # kept as objects: a mapped column of ints would turn float
            texts = [rewrite(value) if isinstance(value, str) else value for value in values]
            out[column] = pd.Series(texts, index=out.index, dtype=object)
    return out


def _texts_as_text(worksheet: Any) -> None:
    """openpyxl takes a text that begins with = for a formula: every such cell is made a text cell again."""
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _fit_columns(worksheet: Any, frame: pd.DataFrame) -> None:
    """Each column as wide as its longest text (header included), within reason, the header row frozen."""
    for index, column in enumerate(frame.columns, start=1):
        longest = max([len(str(column)), *(len(str(v)) for v in frame[column] if v is not None)])
        worksheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, longest + 2)
    worksheet.freeze_panes = "A2"
