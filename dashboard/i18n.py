"""The interface's language: texts from the catalogue (`dashboard.texts`) by key, and locale-aware number and
time formats."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from urllib.parse import parse_qs

from babel.numbers import format_decimal

from dashboard.texts import TEXT
from store.contract.calendar import WIB

LANGS = ("id", "en")
DEFAULT_LANG = "id"
_LOCALES = {"id": "id_ID", "en": "en_GB"}


def lang_from_search(search: str | None) -> str:
    """The language asked for in a URL query string (`?lang=en`), else Bahasa Indonesia."""
    values = parse_qs((search or "").lstrip("?")).get("lang", [])
    return values[0] if values and values[0] in LANGS else DEFAULT_LANG


def t(key: str, lang: str, **values: object) -> str:
    """The text `key` in `lang`, with `{placeholders}` filled from `values`."""
    text = TEXT.get(lang, TEXT[DEFAULT_LANG])[key]
    return text.format(**values) if values else text


def area_text(key: str, lang: str, national: bool, **values: object) -> str:
    """The text `key`; on a national page (`national`: the wall or the briefing under /nasional/), its national
    wording where it has one ("Provinsi tanpa data" for "Kab/kota tanpa data")."""
    own = f"national_{key}"
    return t(own if national and own in TEXT[DEFAULT_LANG] else key, lang, **values)


def dropdown_labels(lang: str) -> dict[str, str]:
    """The texts a `dcc.Dropdown` shows of its own ("3 selected", "Search"...), in `lang`."""
    return {key: t(f"dropdown_{key}", lang) for key in _DROPDOWN_LABELS}


_DROPDOWN_LABELS = (
    "selected_count",
    "select_all",
    "deselect_all",
    "search",
    "clear_search",
    "clear_selection",
    "no_options_found",
)


def fmt_number(value: float | None, lang: str, digits: int = 0) -> str:
    """A number in the locale's format (id: 1.234,5), at most `digits` decimals; an en dash for None."""
    if value is None:
        return "–"
    return _formatted(value, lang, digits)


@lru_cache(maxsize=16384)
def _formatted(value: float, lang: str, digits: int) -> str:
    # A wall refresh formats thousands of numbers, mostly the same ones as the refresh before: Babel is slow.
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_LOCALES.get(lang, _LOCALES[DEFAULT_LANG]))


@lru_cache(maxsize=4096)
def fmt_time_wib(iso: str) -> str:
    """Clock time of an ISO timestamp in WIB, e.g. "14:05 WIB"."""
    return datetime.fromisoformat(iso).astimezone(WIB).strftime("%H:%M WIB")
