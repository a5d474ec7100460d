"""The code points XML 1.0 cannot carry: its `Char` production leaves out the C0 controls other than tab, LF and
CR, the surrogates, U+FFFE and U+FFFF. Intake refuses them in free text (`events`); what is written as XML (Open311's
answers, Excel files) replaces any that were stored before with U+FFFD, so one old event cannot break a document."""

from __future__ import annotations

import re

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def xml_safe(text: str) -> str:
    """`text` with every code point XML cannot carry replaced by U+FFFD."""
    return NOT_XML.sub(REPLACEMENT, text)


def not_xml(text: str) -> str | None:
    """The first code point of `text` that XML cannot carry, as U+XXXX; None when there is none."""
    found = NOT_XML.search(text)
    return f"U+{ord(found.group()):04X}" if found else None
