"""The national demo, real processes: the demo feed for all 38 provinces, two live-worker processes sharing the
provinces, the national worker and the web app serving `PROVINCES=all`, on the test's Redis (a three-master Redis
Cluster with REDIS_CLUSTER=1). Every province's wall and the national wall come to show the feed; the national
totals are the provinces' added up.

It takes about a minute, so it runs in `.ci/run` (`-m national_demo`), not in `make test`.
"""

from __future__ import annotations

import pytest
import requests

from store.contract.provinces import province_names
from tests.support.faults import app_environment, free_port, spawn, stop, wait_for_app, wait_until

pytestmark = pytest.mark.national_demo
WALL_TOKEN = "national-demo-wall-token-0123456789"


def _snapshot(base: str, part: str) -> dict | None:
    answer = requests.get(
        f"{base}{part}/api/v1/snapshot", headers={"Authorization": f"Bearer {WALL_TOKEN}"}, timeout=10
    )
    return answer.json() if answer.status_code == 200 else None


def test_every_province_and_the_nation_show_the_national_demo(redis_url, redis_client, tmp_path) -> None:
    provinces = sorted(province_names())
    port = free_port()
    env = app_environment(redis_url, tmp_path, PROVINCES="all", PORT=str(port), WALL_TOKENS=f"nasional:{WALL_TOKEN}")
    halves = [",".join(provinces[0::2]), ",".join(provinces[1::2])]
    app = spawn(["wsgi.py"], tmp_path / "app.log", **env)
    processes = [
        app,
        *(
            spawn(
                ["-m", "workers", "live", "--provinces", group, "--name", f"live-{n}"],
                tmp_path / "w.log",
                **env,
            )
            for n, group in enumerate(halves)
        ),
        spawn(["-m", "workers", "national"], tmp_path / "national.log", **env),
        spawn(["-m", "ingest", "simulate", "--province", "all", "--seed", "5"], tmp_path / "feed.log", **env),
    ]
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_app(base, app, tmp_path / "app.log")

        def nation_reporting() -> dict | None:
            nation = _snapshot(base, "/nasional")
            if nation is None or any(r["no_data"] for r in nation["regencies"].values()):
                return None
            return nation

        nation = wait_until(nation_reporting, 90, "the national wall did not come to show all 38 provinces", every=1)
        regions = nation["regencies"]
        assert len(regions) == 38
        assert nation["totals"]["received_today"] == sum(r["received_today"] for r in regions.values())
        assert nation["totals"]["open"] == sum(r["open"] for r in regions.values()) > 0
        for code in provinces:
            own = _snapshot(base, f"/p/{code}")
            assert own is not None and own["province"] == code
            # Its backlog is on its wall and on the nation's (the demo opens with past days' requests).
            assert own["totals"]["open"] > 0 and regions[code]["open"] > 0
            assert own["totals"]["received_today"] >= regions[code]["received_today"]
    finally:
        for process in processes:
            stop(process)
