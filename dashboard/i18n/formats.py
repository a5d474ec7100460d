"""Numbers, durations and times in the locale's form: 1.234,5 in Bahasa Indonesia, 1,234.5 in English; times in
WIB."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from babel.dates import format_timedelta
from babel.numbers import format_decimal

from dashboard.i18n import DEFAULT_LANG, t
from store.contract.calendar import WIB

_LOCALES = {"id": "id_ID", "en": "en_GB"}
NONE = "–"  # an en dash where there is no figure


def fmt_number(value: float | None, lang: str, digits: int = 0) -> str:
    """A number in the locale's format (id: 1.234,5), at most `digits` decimals; an en dash for None."""
    if value is None:
        return NONE
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


def number_locale(lang: str) -> str:
    """The BCP 47 tag of the locale numbers are written in (for a page's `Intl.NumberFormat`, which reads the same
    CLDR data as Babel): "id-ID", "en-GB"."""
    return _LOCALES.get(lang, _LOCALES[DEFAULT_LANG]).replace("_", "-")


def age_text(seconds: float | None, lang: str) -> str:
    """How long ago, rounded the locale's way: "5 dtk", "3 mnt", "2 j" ("5 sec", "3 min", "2 hr")."""
    if seconds is None:
        return NONE
    locale = _LOCALES.get(lang, _LOCALES[DEFAULT_LANG])
    return format_timedelta(timedelta(seconds=max(seconds, 0)), locale=locale, format="short")


def pct_text(value: float | None, lang: str) -> str:
    return NONE if value is None else f"{fmt_number(value, lang, 1)}%"


def duration_text(minutes: float | None, lang: str) -> str:
    """Minutes under two hours, else hours with one decimal."""
    if minutes is None:
        return NONE
    if minutes < 120:
        return f"{fmt_number(minutes, lang)} {t('minutes', lang)}"
    return f"{fmt_number(minutes / 60, lang, 1)} {t('hours', lang)}"


def date_time_text(iso: str | None) -> str:
    """Date and clock time in WIB, day first: "25-11-2026 14:05"."""
    if not iso:
        return NONE
    return datetime.fromisoformat(iso).astimezone(WIB).strftime("%d-%m-%Y %H:%M")
