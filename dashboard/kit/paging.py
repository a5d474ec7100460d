"""Long tables a page at a time: which rows a page holds, and the links between pages ("Rows 26–50 of 1,234")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dash import html

from dashboard.i18n import t
from dashboard.i18n.formats import fmt_number

PAGE_ROWS = 25


@dataclass(frozen=True)
class Page:
    number: int  # from 1
    count: int
    total: int  # rows in the whole table

    @property
    def first(self) -> int:
        """The index of the page's first row."""
        return (self.number - 1) * PAGE_ROWS

    @property
    def last(self) -> int:
        """The index after the page's last row."""
        return min(self.first + PAGE_ROWS, self.total)


def page_of(total: int, asked: str | None) -> Page:
    """The page `asked` for (a number from the query) of a table of `total` rows; anything else is the first."""
    count = max(1, -(-total // PAGE_ROWS))
    number = int(asked) if asked and asked.isdigit() else 1
    return Page(min(max(number, 1), count), count, total)


def pager(page: Page, href: Callable[[int], str], lang: str) -> html.Nav | None:
    """Where the page stands in the table, and links to the pages before and after; nothing for a single page."""
    if page.count == 1:
        return None
    where = t(
        "paging_rows",
        lang,
        first=fmt_number(page.first + 1, lang),
        last=fmt_number(page.last, lang),
        total=fmt_number(page.total, lang),
    )
    links = [
        html.A(t("paging_previous", lang), href=href(page.number - 1), rel="prev") if page.number > 1 else None,
        html.A(t("paging_next", lang), href=href(page.number + 1), rel="next") if page.number < page.count else None,
    ]
    return html.Nav(
        [html.Span(where), *[link for link in links if link]],
        className="pager",
        **{"aria-label": where},
    )
