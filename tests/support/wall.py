"""Finding the wall's figures in the page."""

from __future__ import annotations

import json

from dashboard.kit import ids

# A request from the page itself, with its session (synchronous, for a test's assertion).
SYNC_GET = "const x = new XMLHttpRequest(); x.open('GET', arguments[0], false); x.send(); return x.responseText;"


# Show the tour's panel `arguments[0]` (and, on odd panels, a regency in focus), the tour itself paused.
SHOW_STEP = """
window.wallPausedUntil = Date.now() + 3600e3;  // the tour's own timer holds still meanwhile
const steps = document.querySelectorAll('.tour-step');
steps.forEach((s, i) => s.classList.toggle('active', i === arguments[0]));
const root = document.getElementById('wall-page-div');
root.classList.toggle('focus-mode', arguments[0] % 2 === 1);
wall.focusCode = Object.keys(wall.follower.model.focus).sort()[arguments[0] % 4];
draw.focus(wall.follower.model, focusCode(wall.follower.model));
drawPending();
fitWall();
"""
# The tour panels worth a look: each kind once (the first and last ranking pages, every other panel).
STEPS_TO_SEE = """
const steps = [...document.querySelectorAll('.tour-step')];
const ranking = steps.map((s, i) => s.querySelector('.rank-list.ranking') && !wall.emptySteps.has(i) ? i : -1)
  .filter(i => i >= 0);
return steps.map((s, i) => i).filter(i => !ranking.includes(i) && !wall.emptySteps.has(i))
  .concat([ranking[0], ranking[ranking.length - 1]]);
"""
# Resolve once the page has laid out and drawn twice (its resize and tour handlers have run).
NEXT_FRAMES = (
    "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));"
)


def crowded_notices(client, reference, now) -> None:
    """Publish a deadline notices' standing as crowded as a wall may see: the province's longest OPD names, each
    awaiting someone, past a deadline and with deliveries pending, and more OPDs than the standing keeps."""
    from datetime import timedelta

    from store.contract.keys import Keys
    from store.contract.notice_standing import OPDS_KEPT, NoticeStanding, OpdStanding
    from store.contract.reference import opd_name

    names = sorted(
        (
            (opd_name(category.opd, regency), regency.code)
            for category in reference.categories.values()
            for regency in reference.regencies.values()
        ),
        key=lambda named: -len(named[0]),
    )[:OPDS_KEPT]
    opds = tuple(OpdStanding(code, name, 1234, 567, 89) for name, code in names)
    standing = NoticeStanding(now, now + timedelta(hours=1), 12345, 678, 9012, 345, 6, opds, 123)
    client.set(Keys(reference.province).notice_standing, standing.to_json())


def tile_id(key: str) -> str:
    """CSS selector-safe id of a headline tile's number, as Dash writes its pattern-matching id into the page."""
    return pattern_selector({"key": key, "type": ids.WALL_TILE_VALUE})[1:]


def pattern_selector(pattern: dict) -> str:
    """The CSS selector of a pattern-matching id, as Dash writes it into the page (keys sorted, no spaces)."""
    raw = json.dumps(dict(sorted(pattern.items())), separators=(",", ":"))
    return "#" + "".join("\\" + ch if not ch.isalnum() and ch not in "-_" else ch for ch in raw)


def push_cycle(client, redis_url: str, live, now=None, clock=None) -> None:
    """Publish a cycle and push it to every watched room through the Socket.IO message queue, as the live worker
    does on a tick (one broadcaster per process, like the worker: its patches follow each other)."""
    from store.live.cycle import CycleRunner
    from workers.live import socketio_emitter
    from workers.screens import ScreenBroadcaster

    key = (redis_url, live.reference.province, clock)
    broadcaster = _BROADCASTERS.get(key)
    if broadcaster is None or broadcaster.redis is not client:
        options = {"clock": clock} if clock else {}
        broadcaster = _BROADCASTERS[key] = ScreenBroadcaster(
            client, live.reference, socketio_emitter(redis_url), **options
        )
    broadcaster.push(CycleRunner(live).publish(now))


_BROADCASTERS: dict = {}


class IdleLiveWorker:
    """The live worker's idle loop on a thread (no stream: the test applies events itself): it publishes and
    pushes cycles as the worker does on a quiet feed, and ticks on an acknowledgement."""

    def __init__(self, client, redis_url: str, reference, screen_rules=None) -> None:
        import threading

        from store.live.screens import ScreenRules
        from workers.live import LiveRollup, socketio_emitter
        from workers.screens import ScreenBroadcaster

        screens = ScreenBroadcaster(client, reference, socketio_emitter(redis_url))
        self.rollup = LiveRollup(client, reference, screens.push, screen_rules=screen_rules or ScreenRules())
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stopping.wait(0.1):
            self.rollup.idle()

    def __enter__(self) -> IdleLiveWorker:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
