"""A few simulated minutes of the demo feed, on a fake clock, give valid events and non-trivial figures."""

from __future__ import annotations

from datetime import datetime

import pytest

from ingest.simulate import Simulator, demo_rate, intake_weight, run
from store.contract.calendar import WIB
from store.contract.keys import LIVE_GROUP, Keys
from store.contract.reference import load_reference, opd_name
from store.live.state import LiveState
from store.pipeline.ops import ingest_rates
from workers.consumer import StreamWorker, WorkerSpec
from workers.live import LiveRollup

START = datetime(2026, 11, 24, 9, 0, tzinfo=WIB)  # a Tuesday morning
KEYS = Keys("12")


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start.timestamp()

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_five_simulated_minutes(redis_client, reference):
    clock = FakeClock(START)
    written = run(redis_client, [reference], rate=5, seed=7, duration=300, clock=clock.time, sleep=clock.sleep)
    assert written == redis_client.xlen(KEYS.events) > 1000
    assert redis_client.xlen(KEYS.dead_letter) == 0  # every generated event is valid
    # Counted per minute as every other source, so /ops tells the demo feed's rate.
    now = datetime.fromtimestamp(clock.now, WIB)
    rates = ingest_rates(redis_client, KEYS, now, minutes=5)
    assert 0 < sum(rates["simulate"]["series"]) <= written

    rollup = LiveRollup(redis_client, reference, lambda _cycle: None, clock=lambda: now)
    StreamWorker(redis_client, KEYS, WorkerSpec(LIVE_GROUP, rollup), "sim-test", burst=True).run()
    snapshot = LiveState(redis_client, reference).snapshot(now)
    totals, regencies = snapshot["totals"], snapshot["regencies"]

    assert totals["received_today"] > 200
    assert totals["open"] > 200
    assert totals["overdue"] > 0
    assert totals["resolved_today"] > 0
    assert set(totals["by_channel"]) == set(reference.channels)
    assert len(totals["by_category"]) == len(reference.categories)
    assert set(totals["kpis"]) == set(reference.kpis)
    states = {kpi["state"] for figures in regencies.values() for kpi in figures["kpis"].values()}
    assert {"ok", "amber"} <= states
    # Medan (2.5 million people) hears far more than Sibolga (90 thousand).
    assert regencies["12.71"]["received_today"] > 5 * regencies["12.73"]["received_today"]
    assert "Kota Medan" in next(iter(regencies["12.71"]["by_opd"]))


def test_same_seed_and_start_give_the_same_events(reference):
    def minute(seed: int) -> list[dict]:
        simulator = Simulator(reference, 20, seed, START)
        return simulator.opening() + simulator.advance(START.replace(minute=1))

    assert minute(3) == minute(3)
    assert minute(3) != minute(4)


def test_daily_rhythm_is_quiet_at_night():
    assert intake_weight(START.replace(hour=3)) < 0.2 < 1.5 < intake_weight(START.replace(hour=10))


def test_opd_names_follow_the_regency(reference):
    assert opd_name("Dinas Kesehatan", reference.regencies["12.71"]) == "Dinas Kesehatan Kota Medan"
    assert opd_name("Dinas Sosial", reference.regencies["12.07"]) == "Dinas Sosial Kabupaten Deli Serdang"
    jatim = load_reference("35").regencies  # a kabupaten and a city of one name: their agencies apart
    assert opd_name("Dinas Sosial", jatim["35.06"]) == "Dinas Sosial Kabupaten Kediri"
    assert opd_name("Dinas Sosial", jatim["35.71"]) == "Dinas Sosial Kota Kediri"


def test_the_demo_feed_runs_at_the_province_s_pace():
    assert demo_rate(load_reference("12")) == pytest.approx(20, rel=0.05)  # 15.6 million residents
    assert demo_rate(load_reference("35")) > 2.5 * demo_rate(load_reference("12"))  # Jawa Timur, 41.9 million
    assert demo_rate(load_reference("93")) == 2.0  # Papua Selatan's 0.56 million: the least that still moves
