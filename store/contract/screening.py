"""Personal data hidden from a request's title before anyone outside the command centre reads it (Open311's reads,
the citizens' tracking page)."""

from __future__ import annotations

import re
import unicodedata

# What a screened title hides, read conservatively (the title is first brought to NFKC, so full-width ＠ and digits
# are the plain ones): an e-mail address however its @ and dots are written ("@", " @ ", "[at]", "(at)", " at ",
# "[dot]", " dot "), and any 6 digits or more with separators between them (phone numbers, NIK, account numbers:
# "0812/3456/7890", "0812_3456_7890", "1271:0101:...").
_AT = r"(?:\s*[@﹫]\s*|\s*[\[(]\s*at\s*[\])]\s*|\s+at\s+)"
_DOT = r"(?:\s*\.\s*|\s*[\[(]\s*dot\s*[\])]\s*|\s+dot\s+)"
_PERSONAL = re.compile(
    rf"[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)+|\+?\d(?:[\s().\-/_:]*\d){{5,}}",
    re.IGNORECASE,
)
HIDDEN = "[…]"


def screened(title: str | None) -> str | None:
    """A title with e-mail addresses, phone numbers and identity numbers hidden."""
    return _PERSONAL.sub(HIDDEN, unicodedata.normalize("NFKC", title)) if title else None
