"""Heavy reports (where requests wait, the briefing, the visit pack, and their files) off the web process's event
loop, a few at a time per person. The web process serves every page, push and ingest batch on one gevent loop: a
report computed on it would hold all of them for its seconds. So its work runs in gevent's pool of native threads
(SQLite and pandas do their work outside the GIL much of the time) while the loop goes on; under a threaded server
(tests) it runs in the request's own thread. One person may have `REPORTS_AT_ONCE` running in an app process; more
are refused at once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import flask
from sqlalchemy.orm import Session

from dashboard.security.principals import current_principal

Result = TypeVar("Result")

REPORTS_AT_ONCE = 2
RETRY_AFTER_S = 5
_running: Counter[str] = Counter()
_counting = threading.Lock()


class TooManyReports(Exception):
    """The person already has `REPORTS_AT_ONCE` reports being made."""


def run_report(holder: str, work: Callable[[], Result]) -> Result:
    """`work()` (which must not need Flask's request or app context) off the event loop, as `holder`'s."""
    with _counting:
        if _running[holder] >= REPORTS_AT_ONCE:
            raise TooManyReports(holder)
        _running[holder] += 1
    try:
        return _off_the_loop(work)
    finally:
        with _counting:
            _running[holder] -= 1
            if not _running[holder]:
                del _running[holder]


def report_in_session(sessions: Callable[[], Session], compute: Callable[..., Result], *args: Any) -> Result:
    """`compute(session, *args)` in a session of its own, as the signed-in person's report (`run_report`)."""
    principal = current_principal()
    return run_report(principal.name if principal else "", partial(_in_session, sessions, compute, *args))


def _in_session(sessions: Callable[[], Session], compute: Callable[..., Result], *args: Any) -> Result:
    with sessions() as session:
        return compute(session, *args)


def _off_the_loop(work: Callable[[], Result]) -> Result:
    from gevent import get_hub, monkey

    if monkey.is_module_patched("socket"):
        return get_hub().threadpool.apply(work)
    return work()


def too_many_reports(_error: TooManyReports) -> tuple[flask.Response, int]:
    answer = flask.jsonify({"error": f"at most {REPORTS_AT_ONCE} reports at once a person: try again in a moment"})
    answer.headers["Retry-After"] = str(RETRY_AFTER_S)
    return answer, 429
