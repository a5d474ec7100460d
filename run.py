"""Run the whole command centre on one machine: `make run`.

Starts the embedded Redis when REDIS_URL is not set, prepares the database, then supervises the
rollup and archive workers, the demo feed (unless DEMO=0) and the web app, restarting any that die.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from store.access.accounts import ADMIN_USERNAME
from store.access.local import LocalAccess, bootstrap_local
from store.contract.paths import ROOT, VAR_DIR
from store.contract.settings import Settings
from store.history.db import make_sessionmaker, upgrade

log = logging.getLogger("run")
STOP_GRACE_SECONDS = 10
MAX_RESTART_DELAY = 30.0
# A wildcard HOST listens on every interface; links for this machine use its loopback address.
LOOPBACK_OF_WILDCARD = {"0.0.0.0": "127.0.0.1", "::": "::1"}


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)  # on top of the shared environment
    process: subprocess.Popen | None = None
    restart_delay: float = 1.0
    restart_at: float = 0.0
    started_at: float = field(default=0.0)

    def start(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(self.argv, cwd=ROOT, env={**env, **self.env})
        self.started_at = time.monotonic()
        log.info("started %s (pid %s)", self.name, self.process.pid)


def _local_secret(name: str) -> str:
    """A secret kept under var/ so it stays the same across restarts of a development machine."""
    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(24))
        path.chmod(0o600)
    return path.read_text().strip()


def _environment(settings: Settings, redis_url: str) -> dict[str, str]:
    env = dict(os.environ, REDIS_URL=redis_url, PYTHONUNBUFFERED="1")
    env.setdefault("SECRET_KEY", _local_secret("secret-key"))
    env.setdefault("TRACKING_KEY", _local_secret("tracking-key"))
    if not settings.ingest_tokens:
        env["INGEST_TOKENS"] = f"demo:{_local_secret('ingest-token')}"
    return env


def _children(settings: Settings) -> list[Child]:
    python = sys.executable
    children = [*_workers(settings), *_web(settings)]
    if settings.national:
        children.append(Child("national worker", [python, "-m", "workers", "national"]))
    children.append(Child("notices worker", [python, "-m", "workers", "notices"]))
    if settings.demo:
        children.append(Child("demo feed", [python, "-m", "ingest", "simulate"]))
    return children


def _workers(settings: Settings) -> list[Child]:
    """The live and archive workers: `WORKER_PROCESSES` of each, the provinces dealt out among them (each process
    runs one worker per province, in threads)."""
    count = max(1, min(settings.worker_processes, len(settings.provinces)))
    groups = [",".join(settings.provinces[n::count]) for n in range(count)]
    return [
        Child(
            f"{label} worker {n + 1}",
            [sys.executable, "-m", "workers", kind, "--provinces", group, "--name", f"{kind}-{n + 1}"],
        )
        for kind, label in (("live", "rollup"), ("archive", "archive"))
        for n, group in enumerate(groups)
    ]


def _web(settings: Settings) -> list[Child]:
    """The web app; with `APP_PROCESSES` above 1, that many on the ports after `PORT` (on loopback) behind
    HAProxy on `PORT`, sticky by cookie (Socket.IO's long-polling must reach the process holding its session),
    all sharing Socket.IO through the Redis message queue."""
    if settings.app_processes <= 1:
        return [Child("web app", [sys.executable, "wsgi.py"])]
    apps = [f"127.0.0.1:{settings.port + 1 + n}" for n in range(settings.app_processes)]
    config = VAR_DIR / "haproxy.cfg"
    VAR_DIR.mkdir(exist_ok=True)
    config.write_text(haproxy_config(f"{settings.host}:{settings.port}", apps), encoding="utf-8")
    children = [
        Child(f"web app {n + 1}", [sys.executable, "wsgi.py"], {"HOST": "127.0.0.1", "PORT": address.split(":")[1]})
        for n, address in enumerate(apps)
    ]
    return [*children, Child("load balancer", [haproxy_binary(), "-W", "-db", "-f", str(config)])]


def haproxy_binary() -> str:
    found = shutil.which("haproxy", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    if found is None:
        raise SystemExit("APP_PROCESSES > 1 needs HAProxy (Debian: apt-get install haproxy)")
    return found


def haproxy_config(bind: str, apps: list[str]) -> str:
    """HAProxy in front of the app processes `apps` ("host:port"): round robin for new visitors, then sticky by
    the cookie it inserts; WebSocket tunnels stay open as long as a wall runs."""
    servers = "\n".join(f"    server app{n + 1} {address} cookie app{n + 1}" for n, address in enumerate(apps))
    return f"""global
    maxconn 8000

defaults
    mode http
    option http-server-close
    option forwardfor
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h

frontend screens
    bind {bind}
    default_backend apps

backend apps
    balance roundrobin
    cookie SCCNODE insert indirect nocache httponly
    default-server check inter 1s rise 1 fall 3
{servers}
"""


def local_access(settings: Settings, var_dir: Path = VAR_DIR) -> LocalAccess:
    """Migrate the database, then provision `admin` (ADMIN_PASSWORD, else a generated password) and a wall token."""
    upgrade(settings.sqlalchemy_url())
    sessions = make_sessionmaker(settings.sqlalchemy_url())
    try:
        with sessions.begin() as db:
            password = settings.admin_password
            return bootstrap_local(db, var_dir, password.get_secret_value() if password else None)
    finally:
        sessions.kw["bind"].dispose()


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _admin_password(settings: Settings, access: LocalAccess) -> str:
    if access.admin_from_env:
        return "(the password in ADMIN_PASSWORD)"
    if access.admin_password:
        return access.admin_password
    if settings.admin_password:
        return "(set earlier; ADMIN_PASSWORD applies only while there is no active admin)"
    return "(password set earlier)"


def banner(settings: Settings, env: dict[str, str], access: LocalAccess, host: str) -> None:
    """Print where the app listens (`host`, as `wsgi.py` binds it), how to sign in and how to send an event."""
    token = env["INGEST_TOKENS"].split(",")[0].split(":", 1)[1]
    url = _url(LOOPBACK_OF_WILDCARD.get(host, host), settings.port)
    network = ""
    if host in LOOPBACK_OF_WILDCARD:
        network = f"  Other machines: {_url(socket.gethostname(), settings.port)}/ (HOST={host}: all interfaces)\n"
    nation = ""
    if settings.national:
        nation = (
            f"  National wall:  {url}/nasional/?token={access.wall_token}\n"
            f"  Provinces:      {url}/p/<code>/ for {', '.join(settings.provinces)}\n"
        )
    print(
        f"\n  Command centre: {url}/\n"
        f"{network}"
        f"  Admin:          {ADMIN_USERNAME} / {_admin_password(settings, access)} -> {url}/masuk\n"
        f"  Wall:           {url}/?token={access.wall_token}\n"
        f"{nation}"
        f"  Ingest token:   {token}\n"
        f"  Try:            curl -H 'Authorization: Bearer {token}' -H 'Content-Type: application/json' "
        f"-d @event.json {url}/api/v1/events\n"
        f"  Stop with Ctrl+C.\n",
        flush=True,
    )


def supervise(children: list[Child], env: dict[str, str]) -> None:
    """Keep every child running until SIGINT/SIGTERM, then stop them all."""
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for child in children:
        child.start(env)
    while not stopping:
        now = time.monotonic()
        for child in children:
            if child.process and child.process.poll() is not None:
                log.warning(
                    "%s exited with %s; restarting in %.0f s", child.name, child.process.returncode, child.restart_delay
                )
                child.process, child.restart_at = None, now + child.restart_delay
                child.restart_delay = min(child.restart_delay * 2, MAX_RESTART_DELAY)
            elif child.process is None and now >= child.restart_at:
                child.start(env)
            elif child.process and now - child.started_at > 60:
                child.restart_delay = 1.0
        time.sleep(0.5)
    _stop_all(children)


def _stop_all(children: list[Child]) -> None:
    running = [c.process for c in children if c.process and c.process.poll() is None]
    for process in running:
        process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = Settings.from_env()
    embedded = None
    redis_url = settings.redis_url
    if not redis_url:
        from store.servers.embedded_redis import EmbeddedRedis

        embedded = EmbeddedRedis()
        redis_url = embedded.url
        log.info("embedded Redis at %s (data in %s)", redis_url, Path(VAR_DIR, "redis"))
    access = local_access(settings)
    env = _environment(settings, redis_url)
    banner(settings, env, access, settings.host)
    try:
        supervise(_children(settings), env)
    finally:
        if embedded:
            embedded.stop()


if __name__ == "__main__":
    main()
