"""The stream workers: one consumer-group loop, and what it runs: the live state and pushes to screens, the SQL archive,
the national rollup and the history's retention."""
