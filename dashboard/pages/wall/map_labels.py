"""What the wall's map writes on each regency: a three-letter code, unique in the province and stable (derived
from the name alone), and a caption ("KAB." / "KOTA") where a regency and a city share a name."""

from __future__ import annotations

from collections.abc import Mapping

from store.contract.reference import Regency

_VOWELS = set("AEIOU")
_PREFIX_WORDS = ("KOTA", "KABUPATEN", "KAB.")


def _candidates(name: str) -> list[str]:
    """Three-letter abbreviations of a regency name, best first: "Deli Serdang" -> DLS, "Medan" -> MDN."""
    words = [w for w in name.upper().replace("-", " ").split() if w not in _PREFIX_WORDS] or ["X"]
    head = words[0]
    consonants = head[0] + "".join(ch for ch in head[1:] if ch.isalpha() and ch not in _VOWELS)
    initials = "".join(w[0] for w in words[1:])[:2]
    letters = "".join(ch for ch in "".join(words) if ch.isalpha())
    stem = consonants if len(consonants) >= 3 else letters
    first = consonants[: 3 - len(initials)] + initials if initials else stem[:3]
    rest = letters[1:]
    return [first, letters[:3], *(letters[0] + a + b for i, a in enumerate(rest) for b in rest[i + 1 :])]


def short_labels(names: Mapping[str, str]) -> dict[str, str]:
    """A distinct label of three capitals per regency, short enough for a hexagon read from across the room."""
    labels: dict[str, str] = {}
    used: set[str] = set()
    for code in sorted(names):
        options = [c for c in _candidates(names[code]) if len(c) == 3]
        label = next((c for c in options if c not in used), None) or f"{len(used):03d}"
        labels[code] = label
        used.add(label)
    return labels


def captions(regencies: Mapping[str, Regency]) -> dict[str, str]:
    """ "KAB." or "KOTA" for each regency whose name a city (or regency) of the province shares, else ""."""
    paired = {r.short_name.removeprefix("Kab. ") for r in regencies.values() if r.short_name.startswith("Kab. ")}
    return {
        code: "KAB."
        if r.short_name.startswith("Kab. ")
        else "KOTA"
        if r.type == "kota" and r.short_name.removeprefix("Kota ") in paired
        else ""
        for code, r in regencies.items()
    }
