"""Shared core of the command centre, by what each part holds and who writes it: `contract` (the event schema,
reference data, Redis keys, Socket.IO rooms, settings), `servers` (reaching Redis), `pipeline` (the event streams
intake writes and the workers read), `live` (the live state only the live worker writes), `history` (the SQL
archive only the archive worker writes) and `access` (users, tokens, throttles).

`ingest/`, `workers/` and `dashboard/` go through this package; it imports none of them.
"""
