"""The OPDs ranked by how long their requests wait: one slow request does not top the list."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from store.history.handoff import MIN_RANKED_REQUESTS, PeriodWaits, opd_ranking
from store.history.models import duration_bucket, duration_buckets
from store.history.stage_waits import days_bucket

STAGE_KEY = ["opd", "stage", "bucket"]
TOTAL_COLUMNS = ["opd", "bucket", "requests"]


def _waits(totals: dict[str, list[float]]) -> PeriodWaits:
    """Each OPD's requests, each one stage "received" of the given working days."""
    rows = [(opd, days_bucket(d), 1) for opd, days in totals.items() for d in days]
    stages = pd.DataFrame([(opd, "received", b, n) for opd, b, n in rows], columns=[*STAGE_KEY, "requests"])
    return PeriodWaits(stages, pd.DataFrame(rows, columns=TOTAL_COLUMNS), {})


def test_an_opd_with_few_requests_is_ranked_after_those_with_enough():
    empty = PeriodWaits(pd.DataFrame(columns=[*STAGE_KEY, "requests"]), pd.DataFrame(columns=TOTAL_COLUMNS), {})
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


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_a_column_of_times_falls_in_the_buckets_one_time_does(minutes):
    assert duration_buckets(np.array([minutes]))[0] == duration_bucket(round(minutes, 6))
