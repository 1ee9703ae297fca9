"""`backchannel forecast` runs every registered model on ukraine-2025 and on every scenario file in
../shared/data (the models issue's "done when"); decide-copenhagen-variant.csv is the deliberately broken
file (docs/formats.md) and must fail with the one-line error instead."""

from __future__ import annotations

import json
import math

import pytest

from backchannel.models import model_names

FILES = [
    "decide-cop21.csv",
    "decide-copenhagen.csv",
    "decide-sample.txt",
    "emission-1994.csv",
    "ktab/SOE-Pol-Comp.csv",
    "ktab/SOE-Policy.csv",
    "ktab/dummyData-a040.csv",
    "ktab/dummyData_3Dim.csv",
    "ktab/dummyData_6Dim.csv",
]
MODELS = [m for m in model_names() if not m.startswith("_")]


@pytest.mark.parametrize("source", ["ukraine-2025", *FILES])
def test_every_model_forecasts_every_scenario(cli, data_dir, source):
    ref = source if source == "ukraine-2025" else str(data_dir / source)
    code, out, err = cli("forecast", ref, *[a for m in MODELS for a in ("-m", m)], "--draws", "0", "--json")
    assert code == 0, err
    body = json.loads(out)
    assert set(body["models"]) == set(MODELS)
    issues = set(body["models"]["compromise"]["outcome"])
    for name, result in body["models"].items():
        assert set(result["outcome"]) == issues, name
        for issue, value in result["outcome"].items():
            # nash may find no deal (null); every number is on the 0..100 scale
            assert value is None or (math.isfinite(value) and -1e-9 <= value <= 100 + 1e-9), (name, issue, value)


def test_the_broken_variant_gets_one_line(cli, data_dir):
    code, out, err = cli("forecast", str(data_dir / "decide-copenhagen-variant.csv"), "--draws", "0")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "decide-copenhagen-variant.csv:86" in err
