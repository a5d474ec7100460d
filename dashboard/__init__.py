"""The Dash app: the province wall, drill-down pages, Socket.IO push and the snapshot API (read only)."""
