"""The operations desk ("/ops")."""
