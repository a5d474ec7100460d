"""What every command line of the project does first: log to the standard error, read the settings, and connect
to the Redis of REDIS_URL (required: the launcher passes the embedded server's)."""

from __future__ import annotations

import argparse
import logging
import signal
import time
from types import FrameType

import redis

from store.contract.settings import Settings
from store.servers.redis_clients import connect


def start_command(parser: argparse.ArgumentParser) -> tuple[Settings, redis.Redis]:
    """The settings and a Redis client for a command whose arguments `parser` has read; exits through the parser
    (status 2, with the reason) when REDIS_URL is not set."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    if not settings.redis_url:
        parser.error("REDIS_URL is required (the launcher passes the embedded server's URL)")
    return settings, connect(settings.redis_url)


class StopSignal:
    """Set once the process is asked to stop (SIGTERM or SIGINT), for a command that works in passes: it finishes
    the pass it is in."""

    def __init__(self) -> None:
        self.stopping = False
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._stop)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def wait(self, seconds: float) -> None:
        """Sleep `seconds`, or less once asked to stop: a long pause between passes does not hold up a stop."""
        until = time.monotonic() + seconds
        while not self.stopping and (left := until - time.monotonic()) > 0:
            time.sleep(min(left, 0.5))
