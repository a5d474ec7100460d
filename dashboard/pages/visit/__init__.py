"""The visit pack ("/kunjungan"): a regency against its province, where its requests wait, its oldest open
requests and their stories, on A4."""
