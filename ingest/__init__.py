"""Ingest side: HTTP and file intake, the demo feed, and the stream workers that keep live state."""
