"""A page is sent only the outputs whose source changed since the answer it last received."""

from dash import no_update

from dashboard.wall_delta import Delta, digest


def test_digest_is_stable_and_tells_data_apart():
    assert digest({"a": [1, 2]}) == digest({"a": [1, 2]})
    assert digest({"a": [1, 2]}) != digest({"a": [2, 1]})


def test_first_answer_renders_everything_then_only_changes():
    first = Delta(None)
    assert first.one("legend", {"high": "10"}, str) == "{'high': '10'}"
    assert first.each("pages", [[1], [2]], len) == [1, 1]
    assert not first.seen("legend")

    second = Delta(first.digests)
    assert second.seen("legend")
    assert second.one("legend", {"high": "10"}, str) is no_update
    assert second.each("pages", [[1], [2, 3], [4]], len) == [no_update, 2, 1]  # a new page too
    assert second.digests["pages"] == [digest([1]), digest([2, 3]), digest([4])]


def test_a_page_that_missed_an_answer_still_gets_the_change():
    first = Delta(None)
    first.one("feed", ["Medan"], list)
    missed = Delta(first.digests)
    missed.one("feed", ["Medan", "Binjai"], list)  # this answer never reached the page
    again = Delta(first.digests)  # the page sends back what it last received
    assert again.one("feed", ["Medan", "Binjai"], list) == ["Medan", "Binjai"]
