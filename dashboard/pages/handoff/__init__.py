"""Where requests wait ("/tunggu"): time per stage per OPD, category or regency, rework, the OPDs ranked."""
