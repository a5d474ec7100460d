"""The pages' figures as files, through pandas DataFrames: CSV (comma separated, dot decimals, UTF-8) and Excel
(numbers stay numbers), answered as a download that is never cached."""

from __future__ import annotations

import io

import flask
import pandas as pd

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(frame: pd.DataFrame, kind: str, name: str, sheet: str) -> flask.Response:
    """`frame` as `name`.csv or `name`.xlsx (`kind`), with the sheet named `sheet`."""
    if kind == "csv":
        body, mimetype = frame.to_csv(index=False).encode("utf-8"), "text/csv; charset=utf-8"
    else:
        out = io.BytesIO()
        frame.to_excel(out, index=False, sheet_name=sheet, engine="openpyxl")
        body, mimetype = out.getvalue(), XLSX
    response = flask.Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response.headers["Cache-Control"] = "no-store"
    return response
