"""What Engine.IO logs of a malformed Socket.IO packet: one line, not a traceback. python-engineio logs every
exception of its message handler with its traceback, and a packet that Socket.IO cannot decode is one: any client
can send them, so a few hundred would flood the log with tracebacks of library code that did its job. Failures of
our own handlers keep theirs."""

from __future__ import annotations

import logging
import traceback

ENGINEIO_LOGGER = "engineio.server"
DECODER = "socketio/packet.py"  # where python-socketio decodes a packet
DISPATCH = ("socketio/server.py", "_handle_eio_message")  # where it refuses a packet of no known type


class OneLinePacketErrors(logging.Filter):
    """A handler error raised while decoding a packet becomes one line naming the error."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        frames = traceback.extract_tb(error.__traceback__) if error is not None else []
        refused = bool(frames) and (frames[-1].filename.endswith(DISPATCH[0]) and frames[-1].name == DISPATCH[1])
        if any(frame.filename.endswith(DECODER) for frame in frames) or refused:
            record.msg = f"malformed Socket.IO packet refused: {type(error).__name__}: {str(error)[:200]}"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def one_line_packet_errors() -> None:
    """Install the filter once on Engine.IO's logger."""
    logger = logging.getLogger(ENGINEIO_LOGGER)
    if not any(isinstance(f, OneLinePacketErrors) for f in logger.filters):
        logger.addFilter(OneLinePacketErrors())
