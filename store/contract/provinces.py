"""The provinces a deployment may serve (`data/provinces.csv`, by two-digit Kemendagri code), the nation's code,
and the provinces a user or token may be limited to."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from store.contract.paths import DATA_DIR

# The nation in keys, rooms and drawings: the national wall treats it as a province whose regions are provinces.
NATIONAL = "00"
# Where the web app's WSGI environ holds the province a request's `/p/<code>` prefix named (`dashboard.tenancy`).
PROVINCE_ENVIRON = "scc.province"


@cache
def province_names(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Every province, two-digit Kemendagri code -> name, from `data/provinces.csv`."""
    with (data_dir / "provinces.csv").open(newline="", encoding="utf-8") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


def parse_provinces(spec: str) -> tuple[str, ...]:
    """`all`, or codes separated by commas (`12,35`): the provinces one deployment serves, in code order."""
    known = province_names()
    if spec.strip().lower() == "all":
        return tuple(sorted(known))
    codes = [part.strip() for part in spec.split(",") if part.strip()]
    unknown = [code for code in codes if code not in known]
    if unknown or not codes:
        raise ValueError(f"{', '.join(unknown) or 'nothing'}: not a province code (see data/provinces.csv) or `all`")
    return tuple(sorted(set(codes)))


def parse_scope(spec: str | None) -> frozenset[str] | None:
    """The provinces a user or token is limited to, from `35` or `12/35` (also `12,35`); None (every province of
    the deployment: the national role) for an empty spec or `all`."""
    if spec is None or spec.strip().lower() in ("", "all", "*"):
        return None
    codes = frozenset(part.strip() for part in spec.replace("/", ",").split(",") if part.strip())
    unknown = sorted(codes.difference(province_names()))
    if unknown:
        raise ValueError(f"{', '.join(unknown)}: not a province code (see data/provinces.csv)")
    return codes
