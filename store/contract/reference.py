"""Reference data for a province: regencies, service categories, channels and KPIs, from `data/`."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from store.contract.paths import DATA_DIR
from store.contract.provinces import province_names


@dataclass(frozen=True)
class Regency:
    code: str
    name: str
    type: str  # "kabupaten" or "kota"
    seat: str
    lat: float
    lon: float
    population: int
    area_km2: float
    short_name: str  # as the wall writes it: see `short_names`
    label: str = ""  # what the map writes on it, where the data gives one (a province's short form: JATIM)


@dataclass(frozen=True)
class Category:
    key: str
    name_id: str
    name_en: str
    deadline_working_days: int
    opd: str  # the agency that usually handles it: the demo feed's, and the SMS gateway's for a new request
    sms_keyword: str  # the word that names it in a text message ("LAPOR JALAN ...", `ingest.gateway`)


def opd_name(base: str, regency: Regency) -> str:
    """The agency as a regency names it, with its official name: "Dinas Kesehatan Kabupaten Kediri"."""
    return f"{base} {regency.name}"[:100]


@dataclass(frozen=True)
class Channel:
    key: str
    name_id: str
    name_en: str


@dataclass(frozen=True)
class Kpi:
    key: str
    name_id: str
    name_en: str
    unit: str
    unit_en: str
    good: str  # "up" or "down"
    amber: float
    red: float
    typical: float
    spread: float

    def unit_in(self, lang: str) -> str:
        """The unit as written in `lang` ("id" or "en")."""
        return self.unit_en if lang == "en" else self.unit

    def state(self, value: float) -> str:
        """Threshold state of a value: "ok", "amber" or "red"."""
        if self.good == "down":
            return "red" if value >= self.red else "amber" if value >= self.amber else "ok"
        return "red" if value <= self.red else "amber" if value <= self.amber else "ok"


@dataclass(frozen=True)
class Reference:
    province: str
    province_name: str
    regencies: dict[str, Regency]
    categories: dict[str, Category]
    channels: dict[str, Channel]
    kpis: dict[str, Kpi]


def province_labels(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """The provinces' customary short forms (SUMUT, JATIM, DKI), code -> form, from `data/provinces.csv`."""
    return {r["code"]: r["abbreviation"] for r in _rows(data_dir / "provinces.csv")}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


_PREFIXES = {"kabupaten": ("Kabupaten Administrasi ", "Kabupaten "), "kota": ("Kota Administrasi ", "Kota ")}


def _bare(name: str, kind: str) -> str:
    for prefix in _PREFIXES[kind]:
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def short_names(rows: list[dict[str, str]]) -> dict[str, str]:
    """The names the wall writes, code -> name: a city is always "Kota X"; a regency is "X", or "Kab. X" where the
    province also has a "Kota X" (Kab. Kediri / Kota Kediri), so the two are never confused."""
    cities = {(r["province"], _bare(r["name"], "kota")) for r in rows if r["type"] == "kota"}
    names = {}
    for r in rows:
        bare = _bare(r["name"], r["type"])
        if r["type"] == "kota":
            names[r["code"]] = f"Kota {bare}"
        else:
            names[r["code"]] = f"Kab. {bare}" if (r["province"], bare) in cities else bare
    return names


@cache
def load_reference(province: str = "12", data_dir: Path = DATA_DIR) -> Reference:
    """Load the reference data of one province (a two-digit Kemendagri code)."""
    provinces = province_names(data_dir)
    if province not in provinces:
        raise ValueError(f"unknown province {province!r}")
    rows = [r for r in _rows(data_dir / "regencies.csv") if r["province"] == province]
    shown = short_names(rows)
    regencies = {
        r["code"]: Regency(
            code=r["code"],
            name=r["name"],
            type=r["type"],
            seat=r["seat"],
            lat=float(r["lat"]),
            lon=float(r["lon"]),
            population=int(r["population"]),
            area_km2=float(r["area_km2"]),
            short_name=shown[r["code"]],
        )
        for r in rows
    }
    categories = {
        r["key"]: Category(
            r["key"], r["name_id"], r["name_en"], int(r["deadline_working_days"]), r["opd"], r["sms_keyword"]
        )
        for r in _rows(data_dir / "categories.csv")
    }
    channels = {r["key"]: Channel(r["key"], r["name_id"], r["name_en"]) for r in _rows(data_dir / "channels.csv")}
    kpis = {
        r["key"]: Kpi(
            key=r["key"],
            name_id=r["name_id"],
            name_en=r["name_en"],
            unit=r["unit"],
            unit_en=r["unit_en"],
            good=r["good"],
            amber=float(r["amber"]),
            red=float(r["red"]),
            typical=float(r["typical"]),
            spread=float(r["spread"]),
        )
        for r in _rows(data_dir / "kpis.csv")
    }
    return Reference(province, provinces[province], regencies, categories, channels, kpis)
