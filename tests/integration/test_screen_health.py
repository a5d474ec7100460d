"""Every screen watched, in a real Redis: reports, reloads, the end of a connection, and the live cycle's alert
"layar tidak merespons" for a wall screen (not for a user's), acknowledged like any other."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from dashboard.kit.alerts import alert_text
from store.contract.keys import Keys
from store.contract.reference import load_reference
from store.live.alerts import AlertBook
from store.live.cycle import CycleRunner
from store.live.screens import (
    MAX_SCREENS_PER_HOLDER,
    ScreenRefused,
    ScreenRegistry,
    ScreenReport,
    ScreenRules,
    screen_alerts,
)
from store.live.state import LiveState

KEYS = Keys("12")
RULES = ScreenRules(after_seconds=60, reload_limit=4, reload_window_seconds=600)
T0 = 1_800_000_000.0


def _report(screen: str = "a" * 32, load: str = "1" * 32, socket: str | None = "sid-1", **changes) -> ScreenReport:
    base = ScreenReport(
        screen=screen,
        load=load,
        socket=socket,
        page="/",
        lang="id",
        resolution="1920×1080",
        viewport="1920×1080",
        loaded_at=T0,
        epoch=1,
        seq=10,
        served_at=T0,
        memory_bytes=30_000_000,
    )
    return replace(base, **changes)


def _states(registry: ScreenRegistry, now: float) -> dict[str, str]:
    return {s.report.screen: s.state(now, registry.rules) for s in registry.screens(now)}


def test_a_screen_that_applies_pushes_is_fine_and_one_that_stops_is_stalled(redis_client) -> None:
    registry = ScreenRegistry(redis_client, KEYS, RULES)
    registry.report(_report(), "dinding-1", "wall", T0)
    assert _states(registry, T0 + 5) == {"a" * 32: "ok"}
    # It keeps reporting, but the last push it applied left the worker 61 s ago.
    registry.report(_report(), "dinding-1", "wall", T0 + 61)
    assert _states(registry, T0 + 61) == {"a" * 32: "stalled"}
    registry.report(_report(served_at=T0 + 60, seq=16), "dinding-1", "wall", T0 + 62)
    assert _states(registry, T0 + 62) == {"a" * 32: "ok"}
    # No report for longer than the setting: the browser froze or the machine went off without a goodbye.
    assert _states(registry, T0 + 62 + 61) == {"a" * 32: "silent"}


def test_page_loads_are_counted_by_their_load_id_and_a_loop_is_told(redis_client) -> None:
    registry = ScreenRegistry(redis_client, KEYS, RULES)
    for n in range(3):  # three loads, each reported twice
        for again in (0, 1):
            at = T0 + 60 * n + again
            registry.report(_report(load=f"{n}" * 32, loaded_at=at - 0.3 * again, served_at=at), "w", "wall", at)
    screen = registry.screens(T0 + 121)[0]
    assert len(screen.loads) == 3 and screen.report.loaded_at == T0 + 120  # the first estimate of its load stays
    assert screen.state(T0 + 121, RULES) == "ok"
    registry.report(_report(load="3" * 32, loaded_at=T0 + 180, served_at=T0 + 180), "w", "wall", T0 + 180)
    assert _states(registry, T0 + 181) == {"a" * 32: "reloading"}
    # Loads older than the window no longer count.
    registry.report(_report(load="3" * 32, served_at=T0 + 700), "w", "wall", T0 + 700)
    assert _states(registry, T0 + 700) == {"a" * 32: "ok"}


def test_the_end_of_a_connection_leaves_a_wall_screen_disconnected_and_drops_a_users(redis_client) -> None:
    registry = ScreenRegistry(redis_client, KEYS, RULES)
    registry.report(_report(screen="a" * 32, socket="sid-wall"), "dinding-1", "wall", T0)
    registry.report(_report(screen="b" * 32, socket="sid-user"), "budi", "user", T0)
    registry.disconnected("sid-wall", T0 + 1)
    registry.disconnected("sid-user", T0 + 1)
    registry.disconnected("sid-unknown", T0 + 1)  # a connection that never reported changes nothing
    screens = registry.screens(T0 + 2)
    assert [(s.name, s.state(T0 + 2, RULES)) for s in screens] == [("dinding-1", "disconnected")]
    assert screens[0].responding(T0 + 60, RULES) and not screens[0].responding(T0 + 62, RULES)
    # A report that was under way when its connection ended does not bring the screen back.
    registry.report(_report(screen="a" * 32, socket="sid-wall"), "dinding-1", "wall", T0 + 3)
    assert _states(registry, T0 + 3) == {"a" * 32: "disconnected"}
    # Its page connects again: a new connection, and the screen is fine.
    registry.report(_report(screen="a" * 32, socket="sid-wall-2", served_at=T0 + 4), "dinding-1", "wall", T0 + 4)
    assert _states(registry, T0 + 5) == {"a" * 32: "ok"}
    # A wall screen gone for longer than a week is forgotten.
    assert registry.screens(T0 + 4 + RULES.forget_seconds + 1) == []


def test_the_live_cycle_raises_the_alert_for_wall_screens_only_and_it_is_acknowledged(redis_client) -> None:
    reference = load_reference("12")
    live = LiveState(redis_client, reference)
    registry = ScreenRegistry(redis_client, KEYS, RULES)
    registry.report(_report(screen="a" * 32, socket="s1"), "dinding-1", "wall", T0)
    registry.report(_report(screen="b" * 32, socket="s2", served_at=T0 - 600), "budi", "user", T0)
    runner = CycleRunner(live, screens=RULES)
    at = datetime.fromtimestamp(T0 + 30, UTC)
    assert [a.id for a in runner.run(at).alerts if a.kind == "screen"] == []
    registry.disconnected("s1", T0 + 30)
    later = datetime.fromtimestamp(T0 + 91, UTC)
    alerts = [a for a in runner.run(later).alerts if a.kind == "screen"]
    assert [(a.id, a.severity, a.params) for a in alerts] == [
        ("screen:" + "a" * 32, "warning", {"screen": "dinding-1 · aaaaaa", "page": "/", "reason": "disconnected"})
    ]  # the user's stalled screen raises none
    book = AlertBook(redis_client, KEYS)
    assert book.ack("screen:" + "a" * 32, "operator", later) is not None
    assert [a.acknowledged_by for a in runner.run(later).alerts if a.kind == "screen"] == ["operator"]
    # It comes back: the alert clears, and its acknowledgement with it.
    registry.report(_report(screen="a" * 32, socket="s3", served_at=T0 + 95), "dinding-1", "wall", T0 + 95)
    assert [a for a in runner.run(datetime.fromtimestamp(T0 + 96, UTC)).alerts if a.kind == "screen"] == []


def test_a_tokens_dead_screens_raise_one_warning_between_them(redis_client) -> None:
    """Two hundred dead screens of one wall token are one line on the wall ("200 layar"), beside another token's
    single dead screen: they cannot crowd the other alerts out."""
    registry = ScreenRegistry(redis_client, KEYS, RULES)
    for n in range(200):
        registry.report(_report(screen=f"{n:032x}", socket=f"s{n}"), "lobi", "wall", T0)
        registry.disconnected(f"s{n}", T0 + 1)
    registry.report(_report(screen="f" * 32, socket="x"), "dinding-1", "wall", T0)
    registry.disconnected("x", T0 + 1)
    later = T0 + 120
    alerts = {a.id: a for a in screen_alerts(registry.screens(later), later, RULES)}
    assert sorted(alerts) == ["screen:" + "f" * 32, "screens:lobi"]
    many = alerts["screens:lobi"]
    assert many.message_key == "alert.screens" and many.params["count"] == 200
    assert many.params["screen"].startswith("lobi · ") and many.params["reason"] == "disconnected"
    reference = load_reference("12")
    assert alert_text(many, reference, "id") == (
        f"lobi: 200 layar tidak merespons (terburuk {many.params['screen']}: terputus; /)"
    )


def test_at_the_cap_a_long_silent_screen_gives_up_its_place_and_its_records(redis_client) -> None:
    """A browser whose storage was cleared comes back under a new id: at the holder's cap the screen silent
    longest (past `after_seconds`) gives up its place, with its connection's record; a live one never does."""
    registry = ScreenRegistry(redis_client, KEYS, RULES)
    cap = MAX_SCREENS_PER_HOLDER["wall"]
    for n in range(cap):
        registry.report(_report(screen=f"{n:032x}", socket=f"sid-{n}"), "dinding", "wall", T0 + n / 10)
    now = T0 + 20  # every screen reported within the rule's 60 s
    with pytest.raises(ScreenRefused) as refused:
        registry.report(_report(screen="e" * 32, socket="sid-new"), "dinding", "wall", now)
    assert refused.value.status == 429
    later = T0 + RULES.after_seconds + 5  # screen 0 and the first few are silent past the rule now
    registry.report(_report(screen="e" * 32, socket="sid-new"), "dinding", "wall", later)
    held = redis_client.smembers(KEYS.screens_of("dinding"))
    assert len(held) == cap and f"{0:032x}" not in held and "e" * 32 in held
    assert redis_client.hlen(KEYS.screens) == cap
    assert redis_client.hget(KEYS.screen_sockets, "sid-0") is None
    assert redis_client.hget(KEYS.screen_sockets, "sid-new") == "e" * 32
    # A page that reconnects leaves no record of its old connection behind.
    registry.report(_report(screen="e" * 32, socket="sid-newer"), "dinding", "wall", later + 1)
    assert redis_client.hget(KEYS.screen_sockets, "sid-new") is None
