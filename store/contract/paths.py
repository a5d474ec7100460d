"""Where the project's files are: its root, the reference data (`data/`) and what it writes at run time (`var/`)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
VAR_DIR = ROOT / "var"
