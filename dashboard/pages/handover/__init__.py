"""The shift handover ("/serah-terima")."""
