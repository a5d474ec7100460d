"""The live rollup on a three-master Redis Cluster against one Redis, in the same run: the bare XADD ->
XREADGROUP/XACK loop and the whole rollup (validation and XADD in one process, the live worker's handler in
another), each on the server given and on a cluster of the machine's `redis-server` started here.

A province's stream, live state and scripts share one hash slot, so one province's rollup runs on one master
whatever the cluster's size: a cluster adds room for more provinces and their workers, not speed to one.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench import baseline
from bench.harness import Figure, Server, main_for
from bench.rollup import end_to_end_rate, realistic_events
from store.contract.reference import load_reference
from tests.support.cluster import LocalCluster

EVENTS = 30_000
CLUSTER_PORT = 7300


def run(server: Server) -> list[Figure]:
    reference = load_reference("12")
    now = datetime.now(UTC)
    events = realistic_events(reference, EVENTS, now)
    with tempfile.TemporaryDirectory(prefix="scc-cluster-") as directory:
        cluster = LocalCluster(Path(directory), CLUSTER_PORT).start()
        try:
            version = server.client().info("server")["redis_version"]
            on_cluster = Server("cluster", cluster.url, version)
            rates = {
                where.label: (baseline.measure(where, EVENTS), end_to_end_rate(where, events, reference, now).rate)
                for where in (server, on_cluster)
            }
        finally:
            cluster.stop()
    (one_bare, one_rollup), (many_bare, many_rollup) = rates[server.label], rates["cluster"]
    name = server.label
    return [
        Figure(name, "bare loop, one Redis", one_bare, "events/s"),
        Figure(name, "bare loop, 3-master cluster", many_bare, "events/s"),
        Figure(name, "rollup end to end, one Redis", one_rollup, "events/s"),
        Figure(name, "rollup end to end, 3-master cluster", many_rollup, "events/s"),
        Figure(name, "rollup: cluster / one Redis", 100 * many_rollup / one_rollup, "%"),
    ]


if __name__ == "__main__":
    main_for(run)
