"""The link in a notice that acknowledges its escalation: the escalation's id and the notice's recipient, signed
with `SECRET_KEY`, so only someone who received the notice can stop the climb, in their own name
(`/notices/ack/<token>` asks them to confirm first: mail scanners open links)."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

ACK_PATH = "/notices/ack"
_SALT = "notice-ack"


def ack_link(secret: str, base_url: str, escalation_id: int, recipient: str) -> str:
    """The acknowledging page's address for an escalation, as sent to `recipient`."""
    return f"{base_url}{ACK_PATH}/{URLSafeSerializer(secret, salt=_SALT).dumps([escalation_id, recipient])}"


def acknowledgement_of(secret: str, token: str) -> tuple[int, str] | None:
    """(escalation, recipient) of a token, or None when the token is not one of ours."""
    try:
        value = URLSafeSerializer(secret, salt=_SALT).loads(token)
    except BadSignature:
        return None
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str):
        return value[0], value[1]
    return None
