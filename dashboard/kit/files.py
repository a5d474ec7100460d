"""The pages' figures as files, through pandas DataFrames: CSV (comma separated, dot decimals, UTF-8) and Excel
(numbers stay numbers, columns as wide as their texts), answered as a download that is never cached. The frames
carry their headers in the page's language and their figures in the units the page shows."""

from __future__ import annotations

import io
from typing import Any

import flask
import pandas as pd
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_WIDTH = 60  # characters: a longer text wraps in its cell rather than widening the sheet past a screen


def download(frame: pd.DataFrame, kind: str, name: str, sheet: str) -> flask.Response:
    """`frame` as `name`.csv or `name`.xlsx (`kind`), with the sheet named `sheet`."""
    if kind == "csv":
        body, mimetype = frame.to_csv(index=False).encode("utf-8"), "text/csv; charset=utf-8"
    else:
        out = io.BytesIO()
        with pd.ExcelWriter(out, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False, sheet_name=sheet)
            _fit_columns(writer.sheets[sheet], frame)
        body, mimetype = out.getvalue(), XLSX
    response = flask.Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _fit_columns(worksheet: Any, frame: pd.DataFrame) -> None:
    """Each column as wide as its longest text (header included), within reason, the header row frozen."""
    for index, column in enumerate(frame.columns, start=1):
        longest = max([len(str(column)), *(len(str(v)) for v in frame[column] if v is not None)])
        worksheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, longest + 2)
    worksheet.freeze_panes = "A2"
