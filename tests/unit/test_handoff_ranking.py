"""The OPDs ranked by how long their requests wait: one slow request does not top the list."""

from __future__ import annotations

import pandas as pd

from store.history.handoff import MIN_RANKED_REQUESTS, STAGE_COLUMNS, PeriodWaits, opd_ranking
from store.history.stage_waits import days_bucket


def _waits(totals: dict[str, list[float]]) -> PeriodWaits:
    """Each OPD's requests, each one stage "received" of the given working days."""
    rows = [(opd, days_bucket(d), 1) for opd, days in totals.items() for d in days]
    stages = pd.DataFrame([("12.71", opd, "kesehatan", "received", b, n) for opd, b, n in rows], columns=STAGE_COLUMNS)
    return PeriodWaits(stages, pd.DataFrame(rows, columns=["opd", "bucket", "requests"]), {})


def test_an_opd_with_few_requests_is_ranked_after_those_with_enough():
    empty = PeriodWaits(pd.DataFrame(columns=STAGE_COLUMNS), pd.DataFrame(columns=["opd", "bucket", "requests"]), {})
    ranking = opd_ranking(
        _waits(
            {
                "Dinas Sosial": [30.0],  # one request, waiting longest of all
                "Dinas PUPR": [4.0] * MIN_RANKED_REQUESTS,
                "Dinas Kesehatan": [6.0] * MIN_RANKED_REQUESTS,
                "Dinas Pendidikan": [2.0, 9.0],
            }
        ),
        empty,
    )
    assert list(ranking["opd"]) == ["Dinas Kesehatan", "Dinas PUPR", "Dinas Sosial", "Dinas Pendidikan"]
    assert list(ranking["small_sample"]) == [False, False, True, True]
    assert list(ranking["requests"]) == [MIN_RANKED_REQUESTS, MIN_RANKED_REQUESTS, 1, 2]
