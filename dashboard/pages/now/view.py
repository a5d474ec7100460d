"""The regencies now, from the live snapshot: a table sortable by any column (its heading is a link), the most
overdue first. Pure: data in, components out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import html

from dashboard.i18n import t
from dashboard.i18n.formats import fmt_number
from dashboard.kit.links import regency_href
from dashboard.kit.tables import late_text
from dashboard.pages.wall.figures import has_data, metric_value
from dashboard.tenancy import app_path
from store.contract.reference import Reference

# (column, heading key, decimals); the regency's name is text.
COLUMNS = (
    ("regency", "now_regency", None),
    ("overdue", "overdue", 0),
    ("overdue_per_100k", "metric_overdue_per_100k", 1),
    ("open", "open", 0),
    ("received_today", "now_received_today", 0),
    ("within_deadline_pct", "within_deadline_pct_unit", 1),
    ("median_resolve_hours", "median_resolve_hours", 1),
)
DIRECTIONS = ("desc", "asc")
DEFAULT_SORT = ("overdue", "desc")


def parse_sort(column: str | None, direction: str | None) -> tuple[str, str]:
    """The sort the address asks for (`?sort=open&dir=asc`); anything unknown, the most overdue first."""
    if column not in {key for key, _, _ in COLUMNS}:
        return DEFAULT_SORT
    return column, direction if direction in DIRECTIONS else "desc"


def rows(snapshot: Mapping[str, Any], reference: Reference) -> list[dict[str, Any]]:
    """One row per regency: its figures now, or none when it has no data (a silent feed is never zero)."""
    out = []
    for code, regency in reference.regencies.items():
        figures = snapshot["regencies"][code]
        shown = has_data(figures)
        minutes = figures.get("median_resolve_minutes") if shown else None
        out.append(
            {
                "code": code,
                "regency": regency.name,
                "overdue": figures["overdue"] if shown else None,
                "overdue_per_100k": metric_value(figures, regency, "overdue_per_100k"),
                "open": figures["open"] if shown else None,
                "received_today": figures["received_today"] if shown else None,
                "within_deadline_pct": figures.get("within_deadline_pct") if shown else None,
                "median_resolve_hours": None if minutes is None else minutes / 60,
            }
        )
    return out


def sorted_rows(table: list[dict[str, Any]], column: str, direction: str) -> list[dict[str, Any]]:
    """By `column` in `direction`, regencies without a figure last whichever the direction, ties by name."""
    by_name = sorted(table, key=lambda row: row["regency"])
    if column == "regency":
        return by_name if direction == "asc" else by_name[::-1]
    known = [row for row in by_name if row[column] is not None]
    known.sort(key=lambda row: row[column], reverse=direction == "desc")
    return known + [row for row in by_name if row[column] is None]


def now_table(table: list[dict[str, Any]], column: str, direction: str, lang: str) -> html.Table:
    """The table sorted as asked; each heading a link that sorts by it (again: the other way round)."""
    headings = []
    for key, heading, _ in COLUMNS:
        current = key == column
        turn = ("asc" if direction == "desc" else "desc") if current else ("asc" if key == "regency" else "desc")
        arrow = (" ▼" if direction == "desc" else " ▲") if current else ""
        sort = {"aria-sort": "descending" if direction == "desc" else "ascending"} if current else {}
        headings.append(html.Th(html.A(t(heading, lang) + arrow, href=_href(key, turn, lang)), **sort))
    body = [
        html.Tr(
            [
                html.Td(
                    [
                        html.A(row["regency"], href=regency_href(row["code"], lang)),
                        *(
                            [" ", html.Small(f"({t('no_data', lang)})", className="muted")]
                            if row["open"] is None
                            else []
                        ),
                    ]
                ),
                *(html.Td(_cell(key, row[key], digits, lang)) for key, _, digits in COLUMNS[1:]),
            ],
            **{"data-code": row["code"]},
        )
        for row in sorted_rows(table, column, direction)
    ]
    return html.Table([html.Thead(html.Tr(headings)), html.Tbody(body)], className="ops-table now-table")


def _name(row: Mapping[str, Any], lang: str) -> list[Any]:
    """The regency's name, a link to its page; "no data" beside it when its figures are unknown."""
    link = html.A(row["regency"], href=regency_href(row["code"], lang))
    return [link, " ", html.Small(f"({t('no_data', lang)})", className="muted")] if row["open"] is None else [link]


def _cell(key: str, value: float | None, digits: int, lang: str) -> Any:
    if value is None:
        return "–"  # the regency's name says "no data"
    text = fmt_number(value, lang, digits)
    return late_text(text) if key == "overdue" and value > 0 else text


def _href(column: str, direction: str, lang: str) -> str:
    return app_path(f"/sekarang?sort={column}&dir={direction}" + ("&lang=en" if lang == "en" else ""))
