"""The deadline notices on the wall, over a real archive and a real Redis: what the notices worker counts after a
pass is published, the live worker's cycle carries it, and the wall's view-model shows it in the room's language,
grey once the count is no longer renewed; an acknowledgement takes its escalation off at once. The national wall
adds the provinces' counts up."""

from __future__ import annotations

from datetime import timedelta

import jsonschema_rs
import orjson
import redis
from sqlalchemy import select

from dashboard.screen_contract import ProvinceModel, view_model_schema
from dashboard.screen_model import room_model
from store.contract.calendar import WIB
from store.contract.keys import Keys
from store.contract.notice_standing import NoticeStanding, OpdStanding
from store.contract.paths import DATA_DIR
from store.contract.reference import load_reference
from store.contract.settings import Settings
from store.live.cycle import CycleRunner, published_cycle
from store.live.national import national_reference
from store.live.state import LiveState
from store.notices.escalate import acknowledge
from store.notices.models import Escalation
from store.notices.rules import rules_of
from store.notices.standing import publish_standing
from tests.integration.test_notices import RECEIVED, _archive, _contacts, _event
from workers.national import NationalRollup
from workers.notices import check_province

DUE = RECEIVED.replace(day=25, hour=23, minute=59, second=59)  # kesehatan's two working days from Monday 09:00


def _standing(client: redis.Redis) -> NoticeStanding:
    return NoticeStanding.from_json(client.get(Keys("12").notice_standing))


def test_the_wall_shows_the_notices_as_last_counted(sessions, db_url, redis_url, redis_client, tmp_path) -> None:
    _archive(
        sessions,
        [
            _event("a1", "MDN-1", "received", RECEIVED),
            _event("a2", "MDN-2", "received", RECEIVED),
            _event("a3", "MDN-3", "received", RECEIVED, opd="Dinas Perhubungan"),
        ],
    )
    settings = Settings(redis_url=redis_url, database_url=db_url)
    rules = [r for r in rules_of("12", DATA_DIR / "notice_rules.csv") if r.name == "deadline_breached"]
    contacts = _contacts(tmp_path, 1, 1)
    check_province(sessions, "12", rules, contacts, DUE - timedelta(minutes=5))
    for hours in (0.1, 4.2, 8.4):  # the three breaches climb: opd, kominfo, then the command centre
        check_province(sessions, "12", rules, contacts, DUE + timedelta(hours=hours))
    now = DUE + timedelta(hours=8.5)
    publish_standing(sessions, redis_client, settings, "12", now)

    standing = _standing(redis_client)
    assert (standing.awaiting, standing.at_top, standing.breached, standing.opds_waiting) == (3, 3, 3, 2)
    assert [(o.opd, o.awaiting, o.breached) for o in standing.opds] == [
        ("Dinas Kesehatan", 2, 2),  # the most awaiting first
        ("Dinas Perhubungan", 1, 1),
    ]

    # The live worker's cycle carries the count to every screen, through Redis.
    reference = load_reference("12")
    runner = CycleRunner(LiveState(redis_client, reference))
    runner.publish(now)
    cycle = published_cycle(redis_client, Keys("12"))
    assert cycle.notices == standing
    model = room_model(cycle, "province:id", reference)
    jsonschema_rs.validator_for(view_model_schema(ProvinceModel)).validate(orjson.loads(orjson.dumps(model)))
    notices = model["notices"]
    assert [(f["label"], f["text"], f["late"]) for f in notices["figures"]] == [
        ("Menunggu tanggapan", "3", False),
        ("Di pusat komando", "3", True),  # waiting on the command centre itself: in the late colour
        ("Tenggat terlewati", "3", True),
        ("Belum terkirim", "10", False),  # no sender ran: every notice is still in the outbox
    ]
    assert notices["rows"] == [
        {"name": "Dinas Kesehatan", "text": "2", "state": "red"},  # awaiting it; a deadline of theirs passed
        {"name": "Dinas Perhubungan", "text": "1", "state": "red"},
    ]
    assert notices["rows_total"] == 2 and not notices["stale"] and notices["as_of_text"] == ""

    # Acknowledged on /ops or by its link: the web app counts again, and the next cycle has one less.
    with sessions.begin() as session:
        first = session.scalar(select(Escalation.id).where(Escalation.request_id == "MDN-1"))
        assert acknowledge(session, first, "piket@sumut.example", now + timedelta(minutes=1))
    publish_standing(sessions, redis_client, settings, "12", now + timedelta(minutes=1))
    cycle = runner.publish(now + timedelta(minutes=1))
    assert (cycle.notices.awaiting, cycle.notices.opds[0].awaiting) == (2, 1)

    # Nobody counts any more (the notices worker stopped): three passes later the panel reads stale, in English too.
    later = now + timedelta(minutes=1, seconds=3 * settings.notice_pass_seconds + 1)
    model = room_model(runner.publish(later), "province:en", reference)
    assert model["notices"]["as_of_text"] == (now + timedelta(minutes=1)).astimezone(WIB).strftime("%H:%M WIB")
    assert model["notices"]["stale"] and model["notices"]["figures"][0] == {
        "label": "Awaiting response",
        "text": "2",
        "late": False,
    }


def test_before_any_count_the_wall_says_so(redis_client) -> None:
    reference = load_reference("12")
    cycle = CycleRunner(LiveState(redis_client, reference)).publish()
    assert cycle.notices is None and room_model(cycle, "province:id", reference)["notices"] is None


def test_the_national_wall_adds_up_the_provinces_notices(redis_client) -> None:
    now = DUE
    counts = {"12": (3, 1, 2, 5), "35": (7, 0, 4, 0)}  # awaiting, at the top, breached, pending
    for code, (awaiting, at_top, breached, pending) in counts.items():
        opds = (OpdStanding(f"{code}.01", "Dinas Kesehatan", awaiting, breached, pending),)
        fresh = timedelta(minutes=1 if code == "12" else 10)
        standing = NoticeStanding(now, now + fresh, awaiting, at_top, breached, pending, 0, opds, 1)
        redis_client.set(Keys(code).notice_standing, standing.to_json())
        CycleRunner(LiveState(redis_client, load_reference(code))).publish(now)
    pushed: list = []
    NationalRollup(redis_client, pushed.append, clock=lambda: now).tick()
    nation = pushed[0].notices
    assert (nation.awaiting, nation.at_top, nation.breached, nation.pending, nation.opds_waiting) == (10, 1, 6, 5, 2)
    assert [(row.regency, row.opd, row.awaiting) for row in nation.opds] == [
        ("35", "Jawa Timur", 7),  # each province a row, the most awaiting first
        ("12", "Sumatera Utara", 3),
    ]
    model = room_model(pushed[0], "province:id", national_reference())["notices"]
    assert model["figures"][1] == {"label": "Di pusat komando provinsi", "text": "1", "late": True}
    assert [row["name"] for row in model["rows"]] == ["Jawa Timur", "Sumatera Utara"] and not model["stale"]
    # Sumatera Utara's count stops being renewed: the nation's reads stale with it.
    later = now + timedelta(minutes=2)
    NationalRollup(redis_client, pushed.append, clock=lambda: later).tick()
    assert room_model(pushed[-1], "province:id", national_reference())["notices"]["stale"]
