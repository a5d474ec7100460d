"""A value kept by its source object: worked out once while the same object comes back, again for any other."""

from __future__ import annotations

from dashboard.kit.kept import KeptBySource


def test_a_value_is_worked_out_again_only_for_another_source_object() -> None:
    kept: KeptBySource[int] = KeptBySource()
    worked: list[dict] = []

    def work(source: dict) -> int:
        worked.append(source)
        return source["n"] * 2

    first = {"n": 1}
    assert kept.get("a", first, lambda: work(first)) == 2
    assert kept.get("a", first, lambda: work(first)) == 2
    assert worked == [first]
    equal = {"n": 1}  # equal, but not the same object: a cycle made it anew, so it may differ next time
    assert kept.get("a", equal, lambda: work(equal)) == 2
    assert kept.get("b", equal, lambda: work(equal)) == 2
    assert len(worked) == 3
