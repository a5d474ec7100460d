"""How an alert's severity looks on every page: colour and icon together, never colour alone."""

from __future__ import annotations

# Okabe-Ito blue and orange and a red-magenta: told apart by colour-blind readers; the icon is the second cue.
# Each is text on the dark panels at a contrast of at least 4.5 (WCAG AA; the magenta 5.0 on #1f2430).
SEVERITY_COLOURS = {"info": "#56b4e9", "warning": "#e69f00", "critical": "#eb5fa9"}
SEVERITY_ICONS = {"info": "ℹ", "warning": "▲", "critical": "⬣"}
