"""Reaching Redis: one server, a Redis Cluster, or the embedded server of `make run`."""
