"""A real Redis Cluster for the tests and for `.ci/run`: three masters from the machine's `redis-server` in
cluster mode on loopback, nothing kept on disk. `python -m tests.support.cluster DIR PORT` starts one and prints
its URL; the test suite starts its own when `REDIS_CLUSTER=1`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import redis

MASTERS = 3


class LocalCluster:
    """Three masters on ports `port`, `port + 1`, `port + 2`, their files in `directory`."""

    def __init__(self, directory: Path, port: int) -> None:
        self.directory = directory
        self.ports = [port + n for n in range(MASTERS)]
        self.processes: list[subprocess.Popen] = []

    @property
    def url(self) -> str:
        return "redis+cluster://" + ",".join(f"127.0.0.1:{port}" for port in self.ports)

    def start(self, timeout: float = 30.0) -> LocalCluster:
        server = shutil.which("redis-server", path="/usr/bin:/usr/local/bin:/usr/sbin")
        cli = shutil.which("redis-cli", path="/usr/bin:/usr/local/bin")
        if server is None or cli is None:
            raise RuntimeError(
                "a Redis Cluster needs redis-server and redis-cli (Debian: apt-get install redis-server)"
            )
        self.directory.mkdir(parents=True, exist_ok=True)
        for port in self.ports:
            options = ["--port", str(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes"]
            options += ["--cluster-config-file", f"nodes-{port}.conf", "--dir", str(self.directory)]
            options += ["--save", "", "--appendonly", "no", "--cluster-node-timeout", "5000"]
            self.processes.append(subprocess.Popen([server, *options], stdout=subprocess.DEVNULL))
        deadline = time.monotonic() + timeout
        for port in self.ports:
            _wait(lambda port=port: redis.Redis(port=port).ping(), deadline)
        nodes = [f"127.0.0.1:{port}" for port in self.ports]
        subprocess.run(
            [cli, "--cluster", "create", *nodes, "--cluster-replicas", "0", "--cluster-yes"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        for port in self.ports:
            _wait(lambda port=port: redis.Redis(port=port).cluster("info")["cluster_state"] == "ok", deadline)
        return self

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=10)


def _wait(ready, deadline: float) -> None:
    while True:
        try:
            if ready():
                return
        except redis.RedisError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError("the Redis Cluster did not come up")
        time.sleep(0.1)


if __name__ == "__main__":
    cluster = LocalCluster(Path(sys.argv[1]), int(sys.argv[2])).start()
    print(cluster.url, flush=True)
