"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under `/open311/v2/`: the open standard for civic
service requests, beside our own event API (`ingest.api`) and on the same stream."""
