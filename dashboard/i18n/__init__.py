"""The interface's language: texts by key from the gettext catalogues (`locale/<lang>/LC_MESSAGES/messages.po`,
read with Babel), with their plural forms. Numbers and times in the locale's form are in `dashboard.i18n.formats`.

Keys are message ids (`t("open", "id")`): one catalogue per language, each holding every key, so a text missing
from one is an error at once (`KeyError`) rather than a key shown on a page.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from store.contract.reference import Reference

LANGS = ("id", "en")
DEFAULT_LANG = "id"
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"
_PLURAL_SAMPLES = range(0, 200)  # enough numbers to meet every CLDR plural category of both languages


class Catalogue:
    """One language's texts: the compiled catalogue, and which keys it holds (plain and plural)."""

    def __init__(self, lang: str) -> None:
        with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po:
            catalog = read_po(po, locale=lang, domain=DOMAIN)
        compiled = BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        self.translations = gettext.GNUTranslations(compiled)
        self.lang = lang
        self.plain = frozenset(m.id for m in catalog if m.id and isinstance(m.id, str))
        self.plural = frozenset(m.id[0] for m in catalog if m.id and isinstance(m.id, tuple))

    def text(self, key: str) -> str:
        if key not in self.plain:
            raise KeyError(f"{key!r} is not a text of the {self.lang} catalogue")
        return self.translations.gettext(key)

    def counted(self, key: str, count: float) -> str:
        if key not in self.plural:
            raise KeyError(f"{key!r} is not a counted text of the {self.lang} catalogue")
        return self.translations.ngettext(key, key, int(count))


@cache
def catalogue(lang: str) -> Catalogue:
    return Catalogue(lang if lang in LANGS else DEFAULT_LANG)


def lang_from_search(search: str | None) -> str:
    """The language asked for in a URL query string (`?lang=en`), else Bahasa Indonesia."""
    values = parse_qs((search or "").lstrip("?")).get("lang", [])
    return values[0] if values and values[0] in LANGS else DEFAULT_LANG


def t(key: str, lang: str, **values: object) -> str:
    """The text `key` in `lang`, with `{placeholders}` filled from `values`."""
    text = catalogue(lang).text(key)
    return text.format(**values) if values else text


def tn(key: str, count: float, lang: str, **values: object) -> str:
    """The counted text `key` in `lang` in its plural form for `count` ("+1 more alert", "+3 more alerts"), with
    `{placeholders}` filled from `values` (the count itself as the caller formats it)."""
    return catalogue(lang).counted(key, count).format(**values)


def plural_forms(key: str, lang: str) -> dict[str, str]:
    """A counted text's forms by CLDR plural category ({"one": ..., "other": ...}), for a page that counts in the
    browser (`Intl.PluralRules(lang).select(n)` picks the form)."""
    locale = Locale.parse(lang)
    samples: dict[str, int] = {}
    for n in _PLURAL_SAMPLES:
        samples.setdefault(locale.plural_form(n), n)
    return {category: catalogue(lang).counted(key, n) for category, n in samples.items()}


def area_text(key: str, lang: str, national: bool, **values: object) -> str:
    """The text `key`; on a national page (`national`: the wall or the briefing under /nasional/), its national
    wording where it has one ("Provinsi tanpa data" for "Kab/kota tanpa data")."""
    own = f"national_{key}"
    return t(own if national and own in catalogue(lang).plain else key, lang, **values)


class Named(Protocol):
    name_id: str
    name_en: str


def name_in(entry: Named, lang: str) -> str:
    """A reference entry's name (a regency's category, a KPI, a channel) in `lang`."""
    return entry.name_en if lang == "en" else entry.name_id


def category_name(reference: Reference, key: str, lang: str) -> str:
    """A service category's name in `lang` (its key when the reference does not know it)."""
    category = reference.categories.get(key)
    return key if category is None else name_in(category, lang)


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
