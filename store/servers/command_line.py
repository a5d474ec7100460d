"""What every command line of the project does first: log to the standard error, read the settings, and connect
to the Redis of REDIS_URL (required: the launcher passes the embedded server's)."""

from __future__ import annotations

import argparse
import logging

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
