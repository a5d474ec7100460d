"""Alembic environment: migrates the database named by the caller, else the configured one."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

import store.access.models  # registers the access-control models on Base.metadata
import store.history.models
import store.notices.models  # noqa: F401  (registers the notices' tables on Base.metadata)
from store.contract.settings import Settings
from store.history.db import Base, make_engine

config = context.config
if config.config_file_name and not config.attributes.get("url"):
    # Only the command line configures logging; programmatic upgrades keep the caller's logging.
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _url() -> str:
    return (
        config.attributes.get("url") or config.get_main_option("sqlalchemy.url") or Settings.from_env().sqlalchemy_url()
    )


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=Base.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
