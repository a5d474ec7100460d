"""A citizen's tracking number and check code (contract).

The tracking number is the request's own identity, `<regency>:<request id>` (Open311's `service_request_id`). The
check code, printed with it, is a keyed hash of that number: the tracking page answers only a number with its own
code, so nobody walks through numbers to read others' requests. Intake hands both back; the page checks the code
with the same key (`TRACKING_KEY`), so a code stays valid as long as the key does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import urlencode

ID_SEPARATOR = ":"
TRACKING_PATH = "/lacak"  # the citizens' page (`dashboard.tracking`)
CODE_LENGTH = 6  # base32 letters: 30 bits, one chance in a billion per guess, and guesses are rate-limited
# What people mistype for base32's letters: it has no 0, 1 or 8.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def tracking_number(regency: str, request_id: str) -> str:
    """The number a citizen is given for a request."""
    return f"{regency}{ID_SEPARATOR}{request_id}"


def split_tracking_number(number: str) -> tuple[str, str] | None:
    """(regency, request id) of a tracking number, or None when it is not shaped like one."""
    regency, separator, request_id = number.strip().partition(ID_SEPARATOR)
    if not separator or not regency or not request_id:
        return None
    return regency, request_id


def check_code(key: str, regency: str, request_id: str) -> str:
    """The check code of a request's tracking number under `key`."""
    digest = hmac.new(key.encode(), tracking_number(regency, request_id).encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:CODE_LENGTH]


def code_matches(key: str, regency: str, request_id: str, typed: str) -> bool:
    """Whether `typed` is the request's check code, read as people type it (any case, spaces and dashes, 0 for O)."""
    cleaned = "".join(typed.split()).replace("-", "").upper().translate(_LOOKALIKES)
    return hmac.compare_digest(cleaned, check_code(key, regency, request_id))


def receipt(key: str, base_url: str, regency: str, request_id: str) -> dict[str, str]:
    """What intake hands back for a new request: its tracking number, check code and the page that shows it."""
    number, code = tracking_number(regency, request_id), check_code(key, regency, request_id)
    query = urlencode({"nomor": number, "kode": code})
    return {"number": number, "code": code, "url": f"{base_url}{TRACKING_PATH}?{query}"}
