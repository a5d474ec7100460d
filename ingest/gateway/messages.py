"""A citizen's text message read as a report: `LAPOR <KEYWORD> <REGENCY> <what happened>`.

The keyword is a category's (`data/categories.csv`, `sms_keyword`). The regency is its name without "Kabupaten" or
"Kota" (`MEDAN`, `DELI SERDANG`, `DELISERDANG`), or with one of them when a kabupaten and a kota share the name
(`KOTA BEKASI`, `KAB BEKASI`), or its code (`12.71`). Words may be separated by spaces, `#` or `*`, as on the
keyword services people know. Anything else gets a short answer saying what to send instead. Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from store.contract.reference import Category, Reference, Regency

COMMAND = "LAPOR"
HELP = "INFO"
MAX_REGENCY_WORDS = 4  # "Kabupaten Labuhan Batu Selatan": the longest names have three words after the prefix
MIN_TEXT = 10  # characters: shorter says nothing an agency could act on ("rusak")
_SEPARATORS = re.compile(r"[\s#*]+")
_PREFIXES = {"KAB": "kabupaten", "KAB.": "kabupaten", "KABUPATEN": "kabupaten", "KOTA": "kota"}
_NAME_PREFIX = re.compile(r"^(kabupaten|kota)\s+", re.IGNORECASE)

# Answers, short enough for one or two text messages. `{types}` lists the keywords; `{example}` is one regency.
REPLIES = {
    "format": "Format: LAPOR <JENIS> <KAB/KOTA> <isi laporan>. Contoh: LAPOR JALAN {example} Jalan berlubang di "
    "depan pasar. Ketik INFO untuk daftar jenis.",
    "types": "Jenis laporan: {types}. Contoh: LAPOR JALAN {example} Jalan berlubang di depan pasar.",
    "category": "Jenis '{word}' tidak dikenal. Pilih: {types}.",
    "regency": "Kab/kota '{word}' tidak dikenal. Tulis namanya, misalnya {example}, lalu isi laporan.",
    "ambiguous": "'{word}' ada dua: tulis KAB {word} atau KOTA {word}.",
    "text": "Isi laporan terlalu pendek. Tulis apa yang terjadi dan di mana, setelah nama kab/kota.",
    "accepted": "Laporan diterima. Nomor: {number} Kode cek: {code}. Ditangani {opd}, tenggat {days} hari kerja. "
    "Lacak di {url}",
    "accepted_untracked": "Laporan diterima. Nomor: {number}. Ditangani {opd}, tenggat {days} hari kerja.",
}


@dataclass(frozen=True)
class Report:
    """A message read as a report."""

    category: Category
    regency: Regency
    text: str


@dataclass(frozen=True)
class Refusal:
    """A message that is not a report: why (a `REPLIES` key, for the dead letter and the reply) and its answer."""

    reason: str
    reply: str


def refusal(reason: str, references: Iterable[Reference], **values: str) -> Refusal:
    """A refusal with its answer (a `REPLIES` key), its keywords and example taken from `references`."""
    references = list(references)
    regencies = [r for reference in references for r in reference.regencies.values()]
    example = _bare(max(regencies, key=lambda r: r.population).name).upper()
    types = ", ".join(c.sms_keyword for c in references[0].categories.values())
    return Refusal(reason, REPLIES[reason].format(types=types, example=example, **values))


def read_message(message: str, references: Iterable[Reference]) -> Report | Refusal:
    """The report a message makes, for a regency of `references`, or why it makes none."""
    references = list(references)
    regencies = [r for reference in references for r in reference.regencies.values()]
    keywords = {category.sms_keyword: category for category in references[0].categories.values()}
    printable = "".join(ch if ch.isprintable() else " " for ch in unicodedata.normalize("NFKC", message))
    words = _SEPARATORS.split(printable.strip())
    command = words[0].upper() if words else ""
    if command == HELP:
        return refusal("types", references)
    if command != COMMAND or len(words) < 2:
        return refusal("format", references)
    keyword = words[1].upper()
    if keyword not in keywords:
        return refusal("category", references, word=keyword[:20])
    if len(words) < 3:
        return refusal("format", references)
    found = _regency(words[2:], regencies)
    if isinstance(found, str):
        return refusal(found, references, word=words[2].upper()[:30])
    regency, used = found
    text = " ".join(words[2 + used :])
    if len(text) < MIN_TEXT:
        return refusal("text", references)
    return Report(keywords[keyword], regency, text)


def _regency(words: list[str], regencies: list[Regency]) -> tuple[Regency, int] | str:
    """The regency the first words name, with how many words named it; else "regency" (unknown) or "ambiguous"."""
    by_code = {r.code: r for r in regencies}
    if words[0] in by_code:
        return by_code[words[0]], 1
    kind = _PREFIXES.get(words[0].upper())
    start = 1 if kind else 0
    # The longest run of words that names a regency wins: "TAPANULI TENGAH" before "TAPANULI".
    for end in range(min(len(words), start + MAX_REGENCY_WORDS), start, -1):
        name = _key("".join(words[start:end]))
        named = [r for r in regencies if _key(_bare(r.name)) == name and kind in (None, r.type)]
        if len(named) == 1:
            return named[0], end
        if len(named) > 1:
            return "ambiguous"
    return "regency"


def _bare(name: str) -> str:
    return _NAME_PREFIX.sub("", name)


def _key(text: str) -> str:
    """A name as compared: letters and digits only, upper case ("Deli Serdang", "DELISERDANG", "deli-serdang")."""
    return "".join(ch for ch in text.upper() if ch.isalnum())
