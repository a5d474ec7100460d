"""The boundary choropleth (BOUNDARIES_GEOJSON) needs no network: a MapLibre map on the empty white-bg style,
every regency of the boundary file drawn, grey where there is no data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.figures import NO_DATA_COLOUR, choropleth_figure
from store.config import ROOT
from store.reference import load_reference

# Boundaries are not part of the project (licence and size): the shared reference copy, when present.
BOUNDARIES = ROOT.parent / "shared" / "data" / "sumut_regencies.geojson"


@pytest.mark.skipif(not BOUNDARIES.exists(), reason="no boundary file beside the project")
def test_choropleth_draws_every_regency_offline() -> None:
    geojson = json.loads(Path(BOUNDARIES).read_text())
    codes = list(load_reference("12").regencies)
    values = [None if code == "12.04" else float(i) for i, code in enumerate(codes)]

    figure = choropleth_figure(geojson, codes, values, [f"name {c}" for c in codes], font_px=51)

    assert figure["layout"]["map"]["style"] == "white-bg"
    assert all(trace["type"] == "choroplethmap" for trace in figure["data"])
    assert all("mode" not in trace for trace in figure["data"])  # no text layer on the map
    no_data, with_data = figure["data"]
    assert no_data["locations"] == ["12.04"] and no_data["colorscale"][0][1] == NO_DATA_COLOUR
    assert sorted(no_data["locations"] + with_data["locations"]) == sorted(codes)
    assert {f["properties"]["code"] for f in geojson["features"]} >= set(codes)
