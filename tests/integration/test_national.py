"""The national cycle from the provinces' published cycles, on a real Redis: totals, per-province feed states,
provinces that never reported, alerts across provinces, and a tick that pushes only when something changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import redis

from store.contract.events import to_record, validate_event
from store.contract.keys import Keys
from store.contract.provinces import NATIONAL
from store.contract.reference import load_reference
from store.live.cycle import Cycle, CycleRunner, published_cycle
from store.live.national import national_reference
from store.live.state import LiveState
from workers.national import NationalRollup

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def _received(province: str, regency: str, n: int, overdue: bool = False) -> str:
    ts = NOW - timedelta(days=20 if overdue else 0, minutes=1)
    event = {
        "event_id": f"{regency}-e{n}",
        "type": "service_request",
        "request_id": f"r{n}",
        "regency_code": regency,
        "status": "received",
        "category": "kesehatan",
        "channel": "web",
        "opd": "Dinas Kesehatan",
        "ts": ts.isoformat(),
    }
    return to_record(validate_event(event, load_reference(province), NOW))


def _publish(client: redis.Redis, province: str, events: list[str], at: datetime = NOW) -> Cycle:
    live = LiveState(client, load_reference(province))
    live.apply(events, at)
    return CycleRunner(live).publish(at)


def test_the_nation_adds_up_its_provinces_and_marks_the_silent_ones(redis_client: redis.Redis) -> None:
    sumut = _publish(redis_client, "12", [_received("12", "12.71", n) for n in range(5)])
    jatim = _publish(
        redis_client, "35", [_received("35", "35.78", n) for n in range(3)] + [_received("35", "35.06", 9, True)]
    )
    pushed: list[Cycle] = []
    clock = [NOW]
    rollup = NationalRollup(redis_client, pushed.append, clock=lambda: clock[0])
    cycle = rollup.tick()
    assert cycle is not None and pushed == [cycle]
    regions = cycle.snapshot["regencies"]
    assert len(regions) == 38
    assert regions["12"]["received_today"] == sumut.snapshot["totals"]["received_today"] == 5
    assert regions["35"]["received_today"] == 3 and regions["35"]["open"] == 4
    assert cycle.snapshot["totals"]["received_today"] == 8
    assert cycle.snapshot["totals"]["open"] == 5 + 4
    # A province that never published is "no data" (grey, never read as zero); one that did is reporting.
    assert regions["31"]["no_data"] and regions["31"]["feed"]["state"] == "silent"
    assert "31" in cycle.snapshot["totals"]["silent_regencies"]
    assert regions["35"]["feed"]["state"] in ("ok", "late") and not regions["35"]["no_data"]
    # The province's alerts, under the province, named by regency and province.
    overdue = [a for a in cycle.alerts if a.id == "35/overdue:35.06"]
    assert overdue and overdue[0].regency == "35" and overdue[0].params["name"] == "Kab. Kediri, Jawa Timur"
    assert len(cycle.alerts) == len(sumut.alerts) + len(jatim.alerts)
    # Published where the national wall's screens start from.
    assert published_cycle(redis_client, Keys(NATIONAL)).snapshot["totals"]["received_today"] == 8

    # Nothing changed, within the idle interval: no new cycle, no push.
    assert rollup.tick() is None and len(pushed) == 1
    # Jawa Timur's live worker stopped: a few minutes on, its figures stand still and read as late.
    clock[0] = NOW + timedelta(minutes=3)
    _publish(redis_client, "12", [], NOW + timedelta(minutes=3))
    later = rollup.tick()
    assert later is not None
    feeds = {code: later.snapshot["regencies"][code]["feed"] for code in ("12", "35")}
    assert feeds["35"]["state"] == "late" and feeds["35"]["age_seconds"] == 180
    assert feeds["12"]["age_seconds"] == 0  # (late all the same: most of its regencies never reported)


def test_the_national_reference_covers_every_province_with_its_people() -> None:
    nation = national_reference()
    assert len(nation.regencies) == 38
    jatim = nation.regencies["35"]
    assert jatim.name == "Jawa Timur" and jatim.label == "JATIM"
    assert jatim.population == sum(r.population for r in load_reference("35").regencies.values())
    assert sum(r.population for r in nation.regencies.values()) > 270_000_000
