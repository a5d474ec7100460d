"""The live state in Redis, written only by the live worker: counters, the operations cycle, alerts, feed health and the
nation's cycle."""
