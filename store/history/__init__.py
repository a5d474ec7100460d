"""The SQL archive, written only by the archive worker: its models, engine and migrations, and the queries of the
drill-down, the briefing and the handover."""
