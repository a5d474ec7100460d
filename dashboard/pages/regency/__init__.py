"""The regency drill-down ("/kabkota/<code>")."""
