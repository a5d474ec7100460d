"""The screens' contract on the worker's side: every kind of room's view-model, rendered by `room_model` from a
real cycle (realistic events on a real Redis), is valid against the JSON Schema exported from
`dashboard.screen_contract`; a field renamed in the rendering only is caught by that schema."""

from __future__ import annotations

from datetime import UTC, datetime

import jsonschema_rs
import orjson
import pytest
import redis

from bench.workload import Workload
from dashboard.screen_contract import ProvinceModel, RegencyModel, view_model_schema
from dashboard.screen_model import room_model
from store.contract.events import to_record, validate_event
from store.contract.reference import load_reference
from store.live.cycle import Cycle, CycleRunner
from store.live.national import national_reference
from store.live.state import LiveState
from workers.national import NationalRollup

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def _province_cycle(client: redis.Redis, province: str) -> Cycle:
    reference = load_reference(province)
    live = LiveState(client, reference)
    events = Workload(reference).events(600, NOW)
    live.apply([to_record(validate_event(event, reference, NOW)) for event in events], NOW)
    return CycleRunner(live).publish(NOW)


def _valid(model_type: type, model: dict) -> None:
    jsonschema_rs.validator_for(view_model_schema(model_type)).validate(orjson.loads(orjson.dumps(model)))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_room_kind_renders_a_model_valid_against_the_schema(redis_client: redis.Redis, lang: str) -> None:
    sumut = load_reference("12")
    cycle = _province_cycle(redis_client, "12")
    assert cycle.alerts, "a realistic feed raises alerts: the alert rows are checked too"
    _valid(ProvinceModel, room_model(cycle, f"province:{lang}", sumut))
    for code in ("12.71", "12.04"):
        _valid(RegencyModel, room_model(cycle, f"regency:{code}:{lang}", sumut))

    _province_cycle(redis_client, "35")
    pushed: list[Cycle] = []
    NationalRollup(redis_client, pushed.append, clock=lambda: NOW).tick()
    _valid(ProvinceModel, room_model(pushed[0], f"province:{lang}", national_reference()))


def test_a_field_renamed_on_the_rendering_side_only_fails_the_schema(redis_client: redis.Redis) -> None:
    model = room_model(_province_cycle(redis_client, "12"), "province:id", load_reference("12"))
    part = model["metrics"]["overdue"]
    part["top"] = part.pop("high")
    with pytest.raises(jsonschema_rs.ValidationError, match=r"top"):
        _valid(ProvinceModel, model)
