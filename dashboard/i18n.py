"""Interface texts in Bahasa Indonesia (default) and English, and locale-aware number and time formats."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs

from babel.numbers import format_decimal

from store.calendar import WIB

LANGS = ("id", "en")
DEFAULT_LANG = "id"
_LOCALES = {"id": "id_ID", "en": "en_GB"}

TEXT: dict[str, dict[str, str]] = {
    "id": {
        "title": "Pusat Komando Provinsi {province}",
        "tiles_title": "Permohonan layanan hari ini",
        "received_today": "Diterima",
        "open": "Terbuka",
        "resolved_today": "Selesai",
        "within_deadline_pct": "Tepat waktu",
        "overdue": "Terlambat",
        "median_resolve_minutes": "Median waktu selesai",
        "events_per_minute": "Kejadian per menit",
        "map_title": "Peta kab/kota",
        "ranking_title": "Peringkat {first}–{last} dari {total}: {metric}",
        "trend_title": "Permohonan per jam, 24 jam terakhir",
        "categories_title": "Kategori diterima hari ini",
        "channels_title": "Kanal diterima hari ini",
        "kpis_title": "Indikator provinsi (median kab/kota)",
        "received": "Diterima",
        "resolved": "Selesai",
        "no_data": "tanpa data",
        "state_ok": "Baik",
        "state_amber": "Waspada",
        "state_red": "Kritis",
        "alerts_none": "Tidak ada permohonan terlambat",
        "alert_overdue": "{name}: {n} terlambat",
        "alert_kpi": "{name} {value}: {state}",
        "live": "LIVE",
        "stale": "TERTUNDA",
        "disconnected": "TERPUTUS",
        "minutes": "mnt",
        "hours": "jam",
        "metric_overdue_per_100k": "Terlambat per 100 rb penduduk",
        "metric_overdue": "Permohonan terlambat",
        "metric_open": "Permohonan terbuka",
        "metric_open_per_100k": "Terbuka per 100 rb penduduk",
        "metric_received_today": "Diterima hari ini",
        "metric_within_deadline_pct": "Selesai tepat waktu hari ini (%)",
        "metric_median_resolve_minutes": "Median waktu selesai hari ini (jam)",
    },
    "en": {
        "title": "{province} Provincial Command Centre",
        "tiles_title": "Service requests today",
        "received_today": "Received",
        "open": "Open",
        "resolved_today": "Resolved",
        "within_deadline_pct": "On time",
        "overdue": "Overdue",
        "median_resolve_minutes": "Median time to resolve",
        "events_per_minute": "Events per minute",
        "map_title": "Regency map",
        "ranking_title": "Ranking {first}–{last} of {total}: {metric}",
        "trend_title": "Requests per hour, last 24 hours",
        "categories_title": "Categories received today",
        "channels_title": "Channels received today",
        "kpis_title": "Province indicators (regency median)",
        "received": "Received",
        "resolved": "Resolved",
        "no_data": "no data",
        "state_ok": "Good",
        "state_amber": "Warning",
        "state_red": "Critical",
        "alerts_none": "No overdue requests",
        "alert_overdue": "{name}: {n} overdue",
        "alert_kpi": "{name} {value}: {state}",
        "live": "LIVE",
        "stale": "STALE",
        "disconnected": "DISCONNECTED",
        "minutes": "min",
        "hours": "h",
        "metric_overdue_per_100k": "Overdue per 100k inhabitants",
        "metric_overdue": "Overdue requests",
        "metric_open": "Open requests",
        "metric_open_per_100k": "Open per 100k inhabitants",
        "metric_received_today": "Received today",
        "metric_within_deadline_pct": "Resolved on time today (%)",
        "metric_median_resolve_minutes": "Median time to resolve today (hours)",
    },
}


def lang_from_search(search: str | None) -> str:
    """The language asked for in a URL query string (`?lang=en`), else Bahasa Indonesia."""
    values = parse_qs((search or "").lstrip("?")).get("lang", [])
    return values[0] if values and values[0] in LANGS else DEFAULT_LANG


def t(key: str, lang: str, **values: object) -> str:
    """The text `key` in `lang`, with `{placeholders}` filled from `values`."""
    text = TEXT.get(lang, TEXT[DEFAULT_LANG])[key]
    return text.format(**values) if values else text


def fmt_number(value: float | None, lang: str, digits: int = 0) -> str:
    """A number in the locale's format (id: 1.234,5), at most `digits` decimals; an en dash for None."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_LOCALES.get(lang, _LOCALES[DEFAULT_LANG]))


def fmt_time_wib(iso: str) -> str:
    """Clock time of an ISO timestamp in WIB, e.g. "14:05 WIB"."""
    return datetime.fromisoformat(iso).astimezone(WIB).strftime("%H:%M WIB")
