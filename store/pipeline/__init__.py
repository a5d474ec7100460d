"""The event streams: intake appends to them, the workers read them; their lag and the operations figures of `/ops`."""
