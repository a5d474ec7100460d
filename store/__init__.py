"""Shared core of the command centre: event schema, reference data, Redis keys, live state and SQL history.

`ingest/` writes through this package and `dashboard/` reads through it; neither imports the other.
"""
