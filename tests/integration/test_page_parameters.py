"""No query string, however odd, gets a 500 from the officials' pages, their exports or the operators' controls.

Hypothesis writes the query parameters of `/kabkota/<code>`, `/briefing`, `/cari`, `/permohonan/<id>` and `/tunggu`
(rendered through Dash's page router, as a browser asks for them), of both exports, and the ids the operators'
pick, replay and acknowledge buttons send back; the real app answers, on real SQLite and Redis.
"""

from __future__ import annotations

import json
import time
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.kit import ids
from store.access.models import Role
from store.contract.keys import Keys
from store.live.screens import MAX_SCREENS_PER_HOLDER, ScreenRegistry
from tests.support.security import USER_PASSWORD, served_app, sign_in

ROUTER = ".._pages_content.children..._pages_store.data.."
EDGE_DAYS = ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01", "2026-02-30", "2026-11-31", "-1", "0"]
day = st.one_of(st.sampled_from(EDGE_DAYS), st.dates().map(str), st.text(max_size=12))
code = st.one_of(st.sampled_from(["12.71", "12.04", "12.01", "35.78"]), st.text(max_size=8))


def repeated(values: st.SearchStrategy) -> st.SearchStrategy:
    """A parameter's value, or the parameter given two or three times (`?period=7d&period=30d`)."""
    return st.one_of(values, st.lists(values, min_size=2, max_size=3))


query = st.fixed_dictionaries(
    {},
    optional={
        "period": repeated(st.one_of(st.sampled_from(["today", "7d", "30d", "90d", "range", ""]), st.text(max_size=6))),
        "start": repeated(day),
        "end": repeated(day),
        "since": repeated(day),
        "regencies": repeated(st.lists(code, max_size=8).map(",".join)),
        "lang": repeated(st.sampled_from(["id", "en", "xx", ""])),
    },
)
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


pytestmark = pytest.mark.usefixtures("cheap_password_hashing")


@pytest.fixture
def operator(tmp_path, redis_url, redis_client):
    """A test client of the real app, signed in as an operator (who may open every page here)."""
    app, sessions = served_app(tmp_path, redis_url, redis_client, {"operator1": Role.OPERATOR}, secret_key="t")
    yield sign_in(app.server.test_client(), "operator1", USER_PASSWORD)
    sessions.kw["bind"].dispose()


def _render(client, path: str, search: str):
    location = [
        {"id": "_pages_location", "property": "pathname", "value": path},
        {"id": "_pages_location", "property": "search", "value": search},
    ]
    outputs = [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}]
    body = {"output": ROUTER, "outputs": outputs, "inputs": location, "state": [], "changedPropIds": []}
    return client.post("/_dash-update-component", json=body)


@EXAMPLES
@given(regency=code, params=query)
def test_the_regency_page_renders_any_query(operator, regency, params) -> None:
    response = _render(operator, f"/kabkota/{regency}", "?" + urlencode(params, doseq=True))
    assert response.status_code < 500, (regency, params, response.get_data(as_text=True)[:300])


@EXAMPLES
@given(params=query)
def test_the_briefing_renders_any_query(operator, params) -> None:
    response = _render(operator, "/briefing", "?" + urlencode(params, doseq=True))
    assert response.status_code < 500, (params, response.get_data(as_text=True)[:300])


@EXAMPLES
@given(words=repeated(st.text(max_size=300)), lang=repeated(st.sampled_from(["id", "en", "xx"])))
def test_the_search_renders_any_query(operator, words, lang) -> None:
    response = _render(operator, "/cari", "?" + urlencode({"q": words, "lang": lang}, doseq=True))
    assert response.status_code < 500, (words, response.get_data(as_text=True)[:300])


@EXAMPLES
@given(number=st.text(max_size=60), regency=repeated(code))
def test_the_request_page_renders_any_number_and_regency(operator, number, regency) -> None:
    path = "/permohonan/" + quote(number or "x", safe="")
    response = _render(operator, path, "?" + urlencode({"kab": regency}, doseq=True))
    assert response.status_code < 500, (number, regency, response.get_data(as_text=True)[:300])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    regency=repeated(code),
    span=repeated(st.one_of(st.sampled_from(["7d", "30d", "90d"]), st.text(max_size=6))),
    group=st.one_of(st.sampled_from(["opd", "category", "regency"]), st.text(max_size=8)),
    lang=st.sampled_from(["id", "en", "xx"]),
)
def test_the_waiting_times_render_any_query(operator, regency, span, group, lang) -> None:
    params = {"kab": regency, "period": span, "group": group, "lang": lang}
    response = _render(operator, "/tunggu", "?" + urlencode(params, doseq=True))
    assert response.status_code < 500, (params, response.get_data(as_text=True)[:300])
    assert operator.get("/tunggu/export.csv", query_string=params).status_code == 200


@EXAMPLES
@given(params=query, kind=st.sampled_from(["csv", "xlsx"]))
def test_the_briefing_exports_answer_any_query(operator, params, kind) -> None:
    response = operator.get(f"/briefing/export.{kind}", query_string=params)
    assert response.status_code in (200, 400), (params, response.status_code)


def test_paths_outside_the_served_province_are_not_a_500(operator) -> None:
    """The router is asked for a path under another province's prefix, or with no page at all."""
    for path in ["/p/35/briefing", "/p/12/kabkota/12.71", "/nasional/", "//", "/kabkota/", "", "/%00"]:
        response = _render(operator, path, "")
        assert response.status_code < 500, (path, response.get_data(as_text=True)[:300])


def test_calendar_edges_that_used_to_fail(operator) -> None:
    for path, search in [
        ("/kabkota/12.71", "?period=range&start=0001-01-01&end=0001-01-02"),
        ("/briefing", "?regencies=12.71,12.04&since=0001-01-01"),
    ]:
        response = _render(operator, path, search)
        assert response.status_code == 200 and "multi" in response.get_json()
    export = operator.get("/briefing/export.csv?regencies=12.71,12.04&since=0001-01-01")
    assert export.status_code == 200


def _pressed(client, output: str, button_type: str, key: str, value, state: list) -> int:
    """Post a pattern-matching button callback as the browser does, with `value` as the button's id part."""
    button = {"type": button_type, key: value}
    targets = [part.rsplit(".", 1) for part in output.strip(".").split("...")]
    outputs = [{"id": i, "property": p} for i, p in targets]
    body = {
        "output": output,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "state": state,
        "changedPropIds": [f"{json.dumps(button, separators=(',', ':'), sort_keys=True)}.n_clicks"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    return response.status_code


ODD_IDS = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from(["0-0", "99999999999999999999-1", "1-", "-1", "(1-0", "+", "-", "1764560000000-0"]),
)


LANG = {"id": ids.OPS_LANG_STORE, "property": "data", "value": {"lang": "id"}}


@EXAMPLES
@given(entry=ODD_IDS)
def test_pick_and_replay_take_any_entry_id(operator, entry) -> None:
    pick = f"..{ids.OPS_REPLAY_ENTRY}.data...{ids.OPS_REPLAY_TEXT}.value...{ids.OPS_REPLAY_LABEL}.children.."
    assert _pressed(operator, pick, ids.OPS_DEAD_PICK_BTN, "entry", entry, [LANG]) < 500
    body = {
        "output": f"{ids.OPS_REPLAY_RESULT}.children",
        "outputs": {"id": ids.OPS_REPLAY_RESULT, "property": "children"},
        "inputs": [{"id": ids.OPS_REPLAY_BTN, "property": "n_clicks", "value": 1}],
        "state": [
            {"id": ids.OPS_REPLAY_ENTRY, "property": "data", "value": entry},
            {"id": ids.OPS_REPLAY_TEXT, "property": "value", "value": None},
            LANG,
        ],
        "changedPropIds": [f"{ids.OPS_REPLAY_BTN}.n_clicks"],
    }
    response = operator.post("/_dash-update-component", json=body)
    assert response.status_code < 500, response.get_data(as_text=True)[:300]


@EXAMPLES
@given(alert=ODD_IDS)
def test_acknowledge_takes_any_alert_id(operator, alert) -> None:
    assert _pressed(operator, f"{ids.OPS_ACK_RESULT}.children", ids.OPS_ACK_BTN, "alert", alert, [LANG]) < 500


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/dash/deps/../../../../etc/passwd",
        "/_dash-component-suites/dash/..%2f..%2fsetup.py",
        "/_dash-component-suites/dash/%00",
        "/_dash-component-suites/dash/dcc/no-such-file.js",
    ],
)
def test_asset_paths_dash_did_not_register_are_404(operator, path) -> None:
    assert operator.get(path).status_code == 404


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)
TARGET = st.fixed_dictionaries({"id": st.text(max_size=12) | JSON, "property": st.text(max_size=8) | JSON})


@EXAMPLES
@given(data=st.data())
def test_any_body_for_a_known_callback_gets_no_500(operator, data) -> None:
    """Dash trusts the shape of what its renderer posts; a client may post anything."""
    app_callbacks = operator.application.view_functions  # the app is built: its callbacks are registered
    assert app_callbacks
    output = data.draw(st.sampled_from([ROUTER, f"{ids.OPS_ACK_RESULT}.children", f"{ids.OPS_REPLAY_RESULT}.children"]))
    body = data.draw(
        st.fixed_dictionaries(
            {"output": st.just(output)},
            optional={
                "outputs": JSON | TARGET | st.lists(TARGET, max_size=3),
                "inputs": JSON | st.lists(TARGET | st.lists(TARGET, max_size=2), max_size=4),
                "state": JSON | st.lists(TARGET, max_size=3),
                "changedPropIds": JSON | st.lists(st.text(max_size=20), max_size=2),
            },
        )
    )
    response = operator.post("/_dash-update-component", json=body)
    assert response.status_code < 500, (body, response.get_data(as_text=True)[:300])


def test_a_huge_callback_body_is_413_not_read(operator) -> None:
    body = b'{"output": "' + b"x" * (6 * 1024 * 1024) + b'"}'
    response = operator.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 413


REPORT = {
    "screen": "ab" * 16,
    "load": "cd" * 16,
    "socket": None,
    "page": "/",
    "lang": "en",
    "resolution": "3840×2160",
    "viewport": "1920×1080",
    "age_seconds": 12.5,
    "epoch": 1,
    "seq": 3,
    "served_at": 1_800_000_000.0,
    "memory_bytes": None,
}


@EXAMPLES
@given(report=JSON | st.fixed_dictionaries({"screen": st.text(max_size=70), "load": st.text(max_size=70)}))
def test_a_screen_report_of_any_shape_is_refused_naming_its_fields(operator, redis_client, report) -> None:
    response = operator.post("/api/v1/screens", data=json.dumps(report), content_type="application/json")
    assert response.status_code == 400, (report, response.get_data(as_text=True)[:300])
    assert all(error["field"] and error["error"] for error in response.get_json()["errors"])
    assert redis_client.hlen(Keys("12").screens) == 0  # nothing a page would not send is recorded


def test_a_screen_report_is_recorded_under_the_signed_in_name(operator, redis_client) -> None:
    wrong = operator.post("/api/v1/screens", json={**REPORT, "lang": "fr", "seq": -1})
    assert sorted(error["field"] for error in wrong.get_json()["errors"]) == ["lang", "seq"]
    foreign = operator.post("/api/v1/screens", json=REPORT, headers={"Origin": "https://elsewhere.example"})
    assert foreign.status_code == 403
    not_json = operator.post("/api/v1/screens", data="screen=ab", content_type="text/plain")
    assert not_json.status_code == 400 and not_json.get_json()["errors"][0]["field"] == "(body)"
    assert operator.post("/api/v1/screens", json=REPORT).status_code == 204
    screen = ScreenRegistry(redis_client, Keys("12")).screens(time.time())[0]
    seen = (screen.name, screen.kind, screen.report.resolution, screen.report.seq)
    assert seen == ("operator1", "user", "3840×2160", 3)
    assert screen.disconnected_at is not None  # it reported no connection


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("page", "/<script>alert(1)</script>"),
        ("page", "/" + "x" * 300),
        ("resolution", "9" * 64),
        ("viewport", "1920x1080 <b>"),
        ("socket", "sid with spaces"),
        ("age_seconds", 1e9),
        ("served_at", 5.0),
        ("memory_bytes", 2**50),
        ("seq", 2**60),
    ],
)
def test_a_screen_report_out_of_range_is_refused(operator, redis_client, field, value) -> None:
    """What a page reports is bounded and of the form a page writes: it is kept, listed and may reach an alert."""
    response = operator.post("/api/v1/screens", json={**REPORT, field: value})
    assert response.status_code == 400 and [e["field"] for e in response.get_json()["errors"]] == [field]
    assert redis_client.hlen(Keys("12").screens) == 0


def test_a_holder_floods_no_more_than_its_screens_and_takes_no_one_elses(tmp_path, redis_url, redis_client) -> None:
    """Fresh screen ids from one signed-in holder: past `MAX_SCREENS_PER_HOLDER` refused (429) while theirs are
    alive, so Redis, /ops and the alerts stay bounded; another holder cannot report as someone else's screen."""
    app, sessions = served_app(
        tmp_path, redis_url, redis_client, {"op1": Role.OPERATOR, "op2": Role.OPERATOR}, secret_key="t"
    )
    first = sign_in(app.server.test_client(), "op1", USER_PASSWORD)
    second = sign_in(app.server.test_client(), "op2", USER_PASSWORD)
    cap = MAX_SCREENS_PER_HOLDER["user"]
    answers = [
        first.post("/api/v1/screens", json={**REPORT, "screen": f"{n:032x}"}).status_code for n in range(cap + 8)
    ]
    assert answers == [204] * cap + [429] * 8
    keys = Keys("12")
    assert redis_client.hlen(keys.screens) == redis_client.scard(keys.screens_of("op1")) == cap
    taken = second.post("/api/v1/screens", json={**REPORT, "screen": f"{0:032x}"})
    assert taken.status_code == 403 and "another" in taken.get_json()["errors"][0]["error"]
    assert second.post("/api/v1/screens", json={**REPORT, "screen": "f" * 32}).status_code == 204
    sessions.kw["bind"].dispose()


def _concrete(id_: str | dict) -> str | dict:
    """A wildcard id (ALL, MATCH) with a value in place of its wildcard, as the page sends it."""
    return {k: ("x" if isinstance(v, list) else v) for k, v in id_.items()} if isinstance(id_, dict) else id_


def _wildcard(id_: str | dict) -> bool:
    return isinstance(id_, dict) and any(isinstance(v, list) for v in id_.values())


def _parsed(spec: str | dict) -> str | dict:
    return json.loads(spec) if isinstance(spec, str) and spec.startswith("{") else spec


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_callback_answers_any_json_value_without_a_500(operator, data) -> None:
    """Each server callback, its inputs and states given values of every JSON type (a language store that is null
    or a number, a date as an integer, a regency list that is not a list): a 4xx or an answer, never a 500."""
    callbacks = [c for c in operator.get("/_dash-dependencies").get_json() if not c.get("clientside_function")]
    callback = data.draw(st.sampled_from(callbacks))

    def values(items: list[dict]) -> list:
        out = []
        for item in items:
            id_ = _parsed(item["id"])
            value = {"id": _concrete(id_), "property": item["property"], "value": data.draw(JSON)}
            out.append([value] if _wildcard(id_) else value)
        return out

    outputs = [
        {"id": _concrete(_parsed(part.rsplit(".", 1)[0])), "property": part.rsplit(".", 1)[1]}
        for part in callback["output"].strip(".").split("...")
    ]
    inputs = values(callback["inputs"])
    body = {
        "output": callback["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": inputs,
        "state": values(callback["state"]),
        "changedPropIds": [
            f"{json.dumps(_concrete(_parsed(i['id'])), separators=(',', ':'))}.{i['property']}"
            if isinstance(_parsed(i["id"]), dict)
            else f"{i['id']}.{i['property']}"
            for i in callback["inputs"][:1]
        ],
    }
    response = operator.post("/_dash-update-component", json=body)
    assert response.status_code < 500, (callback["output"], body, response.get_data(as_text=True)[:300])
