"""The OPDs ranked by how long their requests wait: one slow request does not top the list."""

from __future__ import annotations

import pandas as pd

from store.history.handoff import MIN_RANKED_REQUESTS, opd_ranking


def _stages(opd: str, days: list[float]) -> list[dict]:
    return [
        {"opd": opd, "regency": "12.71", "request_id": f"{opd}-{n}", "stage": "received", "working_days": d}
        for n, d in enumerate(days)
    ]


def test_an_opd_with_few_requests_is_ranked_after_those_with_enough():
    enough = [4.0] * MIN_RANKED_REQUESTS
    stages = pd.DataFrame(
        _stages("Dinas Sosial", [30.0])  # one request, waiting longest of all
        + _stages("Dinas PUPR", enough)
        + _stages("Dinas Kesehatan", [6.0] * MIN_RANKED_REQUESTS)
        + _stages("Dinas Pendidikan", [2.0, 9.0])
    )
    ranking = opd_ranking(stages, pd.DataFrame())
    assert list(ranking["opd"]) == ["Dinas Kesehatan", "Dinas PUPR", "Dinas Sosial", "Dinas Pendidikan"]
    assert list(ranking["small_sample"]) == [False, False, True, True]
    assert list(ranking["requests"]) == [MIN_RANKED_REQUESTS, MIN_RANKED_REQUESTS, 1, 2]
