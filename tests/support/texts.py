"""What a page shows of the catalogues' keys instead of their texts: a key that reached the screen untranslated."""

from __future__ import annotations

import re

from dashboard.i18n import LANGS, catalogue


def _keys() -> set[str]:
    # Keys that could be a word of a text ("open", "received") would match translations; keys with "_" or "."
    # never appear in a text of either language.
    return {key for lang in LANGS for key in catalogue(lang).plain | catalogue(lang).plural if re.search(r"[_.]", key)}


def untranslated_keys(text: str) -> list[str]:
    """The catalogue keys that stand in `text` as whole tokens, sorted."""
    tokens = set(re.findall(r"[\w.]+", text))
    return sorted(_keys() & tokens)


# English month names and abbreviations that Indonesian writes otherwise (April, September, November, Jan, Feb,
# Mar, Apr, Jun, Jul, Sep and Nov are alike in both).
ENGLISH_MONTHS = {
    "January", "February", "March", "May", "June", "July", "August", "October", "December",
    "Aug", "Oct", "Dec",
}  # fmt: skip


def english_months(text: str) -> list[str]:
    """The English month names that stand in `text` as whole words, sorted."""
    return sorted(ENGLISH_MONTHS & set(re.findall(r"[A-Za-z]+", text)))
