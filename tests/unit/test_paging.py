"""Long desk tables a page at a time (`dashboard.kit.paging`): which rows a page holds and how it is named."""

from __future__ import annotations

from dashboard.kit.paging import PAGE_ROWS, page_of, pager


def test_a_page_holds_its_rows_and_any_other_ask_is_the_first_or_last():
    rows = list(range(2 * PAGE_ROWS + 3))
    second = page_of(len(rows), "2")
    assert (second.number, second.count) == (2, 3)
    assert rows[second.first : second.last] == list(range(PAGE_ROWS, 2 * PAGE_ROWS))
    last = page_of(len(rows), "99")
    assert last.number == 3 and rows[last.first : last.last] == rows[-3:]
    assert [page_of(len(rows), asked).number for asked in (None, "", "0", "-1", "x", "1.5")] == [1] * 6
    assert page_of(0, "3").number == 1


def test_the_pager_says_where_it_stands_in_the_readers_language():
    page = page_of(1234, "2")
    nav = pager(page, lambda n: f"?rpage={n}", "id")
    assert nav.children[0].children == "Baris 26–50 dari 1.234"
    assert [(link.children, link.href) for link in nav.children[1:]] == [
        ("‹ Sebelumnya", "?rpage=1"),
        ("Berikutnya ›", "?rpage=3"),
    ]
    first = pager(page_of(1234, None), lambda n: f"?p={n}", "en")
    assert first.children[0].children == "Rows 1–25 of 1,234" and len(first.children) == 2
    assert pager(page_of(PAGE_ROWS, None), str, "id") is None
