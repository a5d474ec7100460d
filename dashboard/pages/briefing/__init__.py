"""The briefing ("/briefing") and its CSV and Excel exports."""
