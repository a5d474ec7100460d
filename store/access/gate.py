"""Bearer-token checks for each request, with throttles: ingest's blueprint and the dashboard both call them.

Failed attempts are slowed per presented token and per client address; each valid token is held to a request rate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import redis
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from store.access.accounts import TokenInfo, verify_token
from store.access.throttle import FailureThrottle, RateLimit
from store.contract.keys import Keys
from store.history.db import is_locked


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, else None."""
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


@dataclass(frozen=True)
class Verdict:
    """Outcome of a check: `token` when accepted; else refused, `throttled` (with the seconds until another try
    may succeed) or not (no valid token)."""

    token: TokenInfo | None
    throttled: bool = False
    retry_after: float = 0.0

    @property
    def accepted(self) -> bool:
        return self.token is not None


class BearerGate:
    """Checks `Authorization: Bearer` headers against the active tokens of one kind ("ingest" or "wall").

    A valid token is always checked and let through within its rate, whatever its address did: many screens and
    senders share one address behind a NAT or proxy, and a guesser among them must not lock them out. Failures
    count against what was presented (a stale token retried by a misconfigured sender backs off alone) and, with
    a far larger allowance, against the address (a guesser trying many tokens backs off too).
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        client_factory: Callable[[], redis.Redis],
        keys: Keys,
        kind: str,
        requests_per_second: int = 100,
        free_failures: int = 10,
        free_failures_per_address: int = 1000,
    ) -> None:
        self.session_factory = session_factory
        self.client_factory = client_factory
        self.keys = keys
        self.kind = kind
        self.requests_per_second = requests_per_second
        self.free_failures = free_failures
        self.free_failures_per_address = free_failures_per_address

    def check(self, authorization: str | None, ip: str) -> Verdict:
        """Accept a valid, unrevoked token within its rate; refuse anything else, throttled while over its allowance."""
        plaintext = bearer_token(authorization)
        try:
            with self.session_factory.begin() as session:
                token = verify_token(session, self.kind, plaintext) if plaintext else None
        except OperationalError as error:
            if not is_locked(error):
                raise
            # Another process holds the write lock: the token is checked (a read, which WAL lets through) and its
            # last use is noted another time; ingest never waits on a SQL write.
            with self.session_factory() as session:
                token = verify_token(session, self.kind, plaintext) if plaintext else None
        if token is None:
            return self._failed(plaintext or "", ip)
        rate = RateLimit(self.client_factory(), self.keys, f"{self.kind}-token-rate", self.requests_per_second)
        wait = rate.hit(str(token.id))
        if wait:
            return Verdict(None, throttled=True, retry_after=wait)
        return Verdict(token)

    def _failed(self, presented: str, ip: str) -> Verdict:
        client = self.client_factory()
        by_token = FailureThrottle(client, self.keys, f"{self.kind}-token-bad", free=self.free_failures)
        by_address = FailureThrottle(client, self.keys, f"{self.kind}-token-ip", free=self.free_failures_per_address)
        locked = max(by_token.retry_after(presented), by_address.retry_after(ip))
        if locked:
            return Verdict(None, throttled=True, retry_after=locked)
        by_token.failed(presented)
        by_address.failed(ip)
        return Verdict(None)
