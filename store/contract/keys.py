"""Every Redis key name, built in one place.

Keys carry the province inside a hash tag (`{p12}`) so one Redis, or one Redis Cluster slot,
serves a province's streams, live state and scripts together.
"""

from __future__ import annotations

from dataclasses import dataclass

LIVE_GROUP = "live"
ARCHIVE_GROUP = "archive"


@dataclass(frozen=True)
class Keys:
    province: str

    @property
    def prefix(self) -> str:
        return f"scc:{{p{self.province}}}"

    @property
    def events(self) -> str:
        """Stream of accepted events, field `e` holds the event as JSON."""
        return f"{self.prefix}:events"

    @property
    def dead_letter(self) -> str:
        """Stream of rejected input: fields `raw`, `error`, `source`, `at`."""
        return f"{self.prefix}:dead"

    @property
    def dead_letter_floods(self) -> str:
        """Stream of rejections kept in bulk, past a source's budget of single dead letters: fields `count`,
        `errors` (the first few), `raw` (the first items), `source`, `at`. It has a cap of its own, so a flood
        never pushes the replayable entries of `dead_letter` out."""
        return f"{self.prefix}:dead:floods"

    def dead_letter_budget(self, source: str, minute: int) -> str:
        """Single dead letters written for a source in one minute (epoch minute)."""
        return f"{self.prefix}:dead:budget:{minute}:{source}"

    def ingest_refused_minute(self, minute: int) -> str:
        """Hash source -> events refused at the door in one minute because the stream was full."""
        return f"{self.prefix}:ingest:refused:{minute}"

    def request(self, regency: str, request_id: str) -> str:
        """Hash of one request's live state. A request is identified by its regency and its request_id, so two
        regencies' applications may number their requests alike (see the README's event contract)."""
        return f"{self.prefix}:rq:{regency}:{request_id}"

    @property
    def legacy_request_pattern(self) -> str:
        """Request hashes of before the identity was per regency (`req:<request_id>`), renamed at the live
        worker's start."""
        return f"{self.prefix}:req:*"

    def kpi_seen(self, day: str) -> str:
        return f"{self.prefix}:kseen:{day}"

    def day(self, regency: str, day: str) -> str:
        """Hash of today's counters for a regency: received, resolved, within, cat:<k>, ch:<k>."""
        return f"{self.prefix}:day:{day}:{regency}"

    def durations(self, regency: str, day: str) -> str:
        """Sorted set of request id -> minutes to resolve, for requests resolved that day."""
        return f"{self.prefix}:dur:{day}:{regency}"

    def hour(self, epoch_hour: int) -> str:
        """Hash `received:<regency>` / `resolved:<regency>` -> requests received or resolved in that hour."""
        return f"{self.prefix}:hour:{epoch_hour}"

    def open(self, regency: str) -> str:
        """Sorted set of open request id -> deadline (epoch seconds)."""
        return f"{self.prefix}:open:{regency}"

    def open_opd(self, regency: str, opd: str) -> str:
        return f"{self.prefix}:openopd:{regency}:{opd}"

    def opds(self, regency: str) -> str:
        """Set of OPD names that have had open requests in the regency."""
        return f"{self.prefix}:opds:{regency}"

    def kpis(self, regency: str) -> str:
        """Hash metric -> JSON {"value", "ts"}: the latest sample by event time."""
        return f"{self.prefix}:kpi:{regency}"

    def minute(self, minute: int) -> str:
        """Hash regency -> events processed in one minute (epoch minute)."""
        return f"{self.prefix}:epm:{minute}"

    @property
    def last_seen(self) -> str:
        """Hash regency -> epoch seconds of the last event processed from it."""
        return f"{self.prefix}:lastseen"

    @property
    def heartbeats(self) -> str:
        """Hash worker name -> last heartbeat (epoch seconds)."""
        return f"{self.prefix}:heartbeats"

    # Operations: alerts, feed health, ingest rates (see store/live/alerts.py, store/live/feed_health.py,
    # store/pipeline/ops.py).

    @property
    def alerts_active(self) -> str:
        """Hash alert id -> JSON of the alert as last evaluated (with the time it first fired)."""
        return f"{self.prefix}:alerts:active"

    @property
    def alert_acks(self) -> str:
        """Hash alert id -> JSON {"by", "at"}: acknowledgements, removed when the alert clears."""
        return f"{self.prefix}:alerts:acks"

    @property
    def alert_ack_log(self) -> str:
        """Capped sorted set of acknowledgements: JSON {"id", "kind", "regency", "severity", "by", "at"} -> epoch."""
        return f"{self.prefix}:alerts:acklog"

    @property
    def alerts_channel(self) -> str:
        """Pub/sub channel announcing an acknowledgement to the live worker, which pushes it to every screen."""
        return f"{self.prefix}:alerts:changed"

    @property
    def cycle(self) -> str:
        """JSON of the last operations cycle the live worker published (see store/live/cycle.py)."""
        return f"{self.prefix}:cycle"

    @property
    def cycle_seq(self) -> str:
        """How many cycles were published (incremented with each): the national worker reads this every tick
        and the cycle itself only when it moved."""
        return f"{self.prefix}:cycle:seq"

    @property
    def summary(self) -> str:
        """Hash of what the nation reads of the last cycle, published with it: "figures" (JSON: its time, totals,
        regency count and 24-hour trend) and "alerts" (JSON: its alerts as stored), each small beside the cycle."""
        return f"{self.prefix}:cycle:summary"

    @property
    def notice_standing(self) -> str:
        """JSON of the deadline notices' standing (`store.contract.notice_standing`), written by whoever last counted
        it; the live worker's cycle carries it to the wall."""
        return f"{self.prefix}:notices:standing"

    def screen_model(self, room: str) -> str:
        """JSON of the view-model last pushed to a Socket.IO room (`store.contract.rooms`), with its epoch and sequence
        number: what a screen that opens or missed a push starts from (see `workers/screens.py`)."""
        return f"{self.prefix}:screen:{room}"

    @property
    def screens_watched(self) -> str:
        """Sorted set room -> epoch seconds until which some app process has a screen in it (renewed each second):
        the live worker renders the rooms someone watches, and no others."""
        return f"{self.prefix}:screens:watched"

    @property
    def screens(self) -> str:
        """Hash screen id -> JSON of the screen's last report and connection (see `store.live.screens`)."""
        return f"{self.prefix}:screens:reports"

    def screens_of(self, holder: str) -> str:
        """Set of the screen ids a wall token or user holds (`store.live.screens`: each holder's screens are capped)."""
        return f"{self.prefix}:screens:of:{holder}"

    @property
    def screen_sockets(self) -> str:
        """Hash Socket.IO connection id -> the screen id that reported over it, to tell its screen when it ends."""
        return f"{self.prefix}:screens:sockets"

    @property
    def backlog_baseline(self) -> str:
        """Hash regency -> JSON {"mean", "var", "n"}: the regency's usual open backlog."""
        return f"{self.prefix}:baseline:open"

    @property
    def feed_gaps(self) -> str:
        """Hash regency -> JSON {"last", "gap"}: last arrival seen and the usual gap between arrivals."""
        return f"{self.prefix}:feedgaps"

    def sampler(self, name: str) -> str:
        """Epoch seconds of the last `name` sample: one process samples per interval (see store/live/sampling.py)."""
        return f"{self.prefix}:sampler:{name}"

    def ingest_minute(self, minute: int) -> str:
        """Hash source -> events accepted from that ingest source in one minute (epoch minute)."""
        return f"{self.prefix}:ingest:{minute}"

    def session(self, session_id: str) -> str:
        """A signed-in browser's server-side session: "user:<id>" or "wall:<token id>", expiring with it."""
        return f"{self.prefix}:session:{session_id}"

    def sessions_of(self, kind: str, subject: int) -> str:
        """Sorted set session id -> epoch seconds started, of one user's or wall token's sessions (capped)."""
        return f"{self.prefix}:sessions:of:{kind}:{subject}"

    def throttle(self, scope: str, subject: str) -> str:
        """Counters of a throttle (`scope`: what is limited, e.g. `signin-user`) for one subject."""
        return f"{self.prefix}:throttle:{scope}:{subject}"
