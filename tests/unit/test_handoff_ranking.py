"""The OPDs ranked by how long their requests wait: one slow request does not top the list."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from store.history.handoff import MIN_RANKED_REQUESTS, PeriodWaits, opd_ranking
from store.history.stage_waits import MINUTES_PER_DAY, days_bucket, days_buckets

STAGE_KEY = ["opd", "stage", "bucket"]
TOTAL_COLUMNS = ["opd", "bucket", "requests"]


def _waits(totals: dict[str, list[float]]) -> PeriodWaits:
    """Each OPD's requests, each one stage "received" of the given working days."""
    rows = [(opd, days_bucket(d), 1) for opd, days in totals.items() for d in days]
    stages = pd.DataFrame([(opd, "received", b, n) for opd, b, n in rows], columns=[*STAGE_KEY, "requests"])
    return PeriodWaits(stages, pd.DataFrame(rows, columns=TOTAL_COLUMNS), {})


def test_an_opd_with_few_requests_is_ranked_after_those_with_enough():
    ranking = opd_ranking(
        _waits(
            {
                "Dinas Sosial": [30.0],  # one request, waiting longest of all
                "Dinas PUPR": [4.0] * MIN_RANKED_REQUESTS,
                "Dinas Kesehatan": [6.0] * MIN_RANKED_REQUESTS,
                "Dinas Pendidikan": [2.0, 9.0],
            }
        ),
        pd.DataFrame(columns=TOTAL_COLUMNS),
    )
    assert list(ranking["opd"]) == ["Dinas Kesehatan", "Dinas PUPR", "Dinas Sosial", "Dinas Pendidikan"]
    assert list(ranking["small_sample"]) == [False, False, True, True]
    assert list(ranking["requests"]) == [MIN_RANKED_REQUESTS, MIN_RANKED_REQUESTS, 1, 2]


WAITS = st.one_of(
    st.floats(min_value=0, max_value=400, allow_nan=False),
    # Exactly on a bucket's bound (whole powers of two minutes), and a hair either side.
    st.integers(0, 20).map(lambda k: 2**k / MINUTES_PER_DAY),
    st.integers(0, 20).map(lambda k: (2**k + 1e-7) / MINUTES_PER_DAY),
    st.integers(0, 20).map(lambda k: (2**k - 1e-7) / MINUTES_PER_DAY),
)


@given(days=st.lists(WAITS, min_size=1, max_size=40))
def test_a_whole_column_of_waits_is_bucketed_as_each_wait(days) -> None:
    """The open stages' buckets, worked out for the whole column at once, are `days_bucket`'s."""
    assert list(days_buckets(np.array(days))) == [days_bucket(d) for d in days]
