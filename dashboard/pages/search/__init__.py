"""The request search ("/cari")."""
