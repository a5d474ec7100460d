from typing import get_type_hints

from dash import dcc

from dashboard.i18n import LANGS, dropdown_labels
from dashboard.texts import TEXT


def test_both_languages_have_every_text():
    assert set(TEXT["id"]) == set(TEXT["en"])


def test_dropdown_labels_cover_every_label_the_dropdown_shows():
    accepted = set(get_type_hints(dcc.Dropdown.Labels))
    for lang in LANGS:
        assert set(dropdown_labels(lang)) == accepted
    assert dropdown_labels("id")["selected_count"] == "{num_selected} dipilih"  # filled in by the component
