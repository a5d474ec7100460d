"""The gettext catalogues (`dashboard/i18n/locale/<lang>/LC_MESSAGES/messages.po`): both languages hold every
key with the same placeholders, every key the code asks for by name exists, counted texts take their plural form
from the catalogue's rule, and a missing key is an error rather than a key shown on a page."""

from __future__ import annotations

import ast
import string
from pathlib import Path
from typing import get_type_hints

import pytest
from dash import dcc

from dashboard.i18n import LANGS, catalogue, dropdown_labels, plural_forms, t, tn
from tests.support.texts import untranslated_keys

ROOT = Path(__file__).resolve().parents[2]
ASKING = {"t", "tn", "area_text", "plural_forms"}  # the calls whose first argument is a key


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _keys_asked_for() -> set[tuple[str, str]]:
    """(file, key) of every call that names its key as a literal, in the app's code."""
    asked = set()
    for path in (ROOT / "dashboard").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ASKING and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    asked.add((str(path.relative_to(ROOT)), first.value))
    return asked


def test_both_languages_hold_every_key() -> None:
    indonesian, english = catalogue("id"), catalogue("en")
    assert indonesian.plain == english.plain and indonesian.plural == english.plural
    assert len(indonesian.plain) > 150 and {"alerts_more", "signin_throttled"} <= indonesian.plural


def test_each_key_has_the_same_placeholders_in_both_languages() -> None:
    differ = [key for key in catalogue("id").plain if _placeholders(t(key, "id")) != _placeholders(t(key, "en"))]
    differ += [
        key
        for key in catalogue("id").plural
        if len({frozenset(_placeholders(form)) for lang in LANGS for form in plural_forms(key, lang).values()}) != 1
    ]
    assert differ == []


def test_every_key_the_code_names_exists() -> None:
    asked = _keys_asked_for()
    assert len({key for _, key in asked}) > 80
    known = catalogue("id").plain | catalogue("id").plural
    assert sorted((path, key) for path, key in asked if key not in known) == []


def test_counted_texts_follow_each_language_s_plural_rule() -> None:
    assert tn("alerts_more", 1, "en", n="1") == "+1 more alert (see /ops)"
    assert tn("alerts_more", 3, "en", n="3") == "+3 more alerts (see /ops)"
    assert tn("alerts_more", 1, "id", n="1") == tn("alerts_more", 3, "id", n="1") == "+1 peringatan lain (lihat /ops)"
    assert plural_forms("alerts_more", "en") == {
        "one": "+{n} more alert (see /ops)",
        "other": "+{n} more alerts (see /ops)",
    }
    assert plural_forms("alerts_more", "id") == {"other": "+{n} peringatan lain (lihat /ops)"}


def test_a_missing_key_is_an_error_not_a_text() -> None:
    with pytest.raises(KeyError):
        t("no_such_key", "id")
    with pytest.raises(KeyError):
        tn("open", 2, "en")  # a plain text has no plural forms
    with pytest.raises(KeyError):
        t("alerts_more", "en")  # and a counted text needs its count


def test_dropdown_labels_cover_every_label_the_dropdown_shows() -> None:
    accepted = set(get_type_hints(dcc.Dropdown.Labels))
    for lang in LANGS:
        assert set(dropdown_labels(lang)) == accepted
    assert dropdown_labels("id")["selected_count"] == "{num_selected} dipilih"  # filled in by the component


def test_a_key_shown_untranslated_is_found_on_a_page() -> None:
    assert untranslated_keys("Diterima 12 received_today alert.overdue") == ["alert.overdue", "received_today"]
    assert untranslated_keys("Diterima hari ini: 12 · Kota Medan") == []


def test_a_capped_search_says_it_shows_only_the_first(reference) -> None:
    from dashboard.pages.search.view import results
    from store.history.search import SEARCH_LIMIT

    row = {
        "regency": "12.71",
        "request_id": "x",
        "title": "t",
        "category": "kesehatan",
        "opd": "o",
        "status": "received",
        "received_at": None,
    }
    assert "1 permohonan ditemukan" in str(results([row], reference, "id"))
    assert f"{SEARCH_LIMIT} teratas ditampilkan" in str(results([row] * SEARCH_LIMIT, reference, "id"))
