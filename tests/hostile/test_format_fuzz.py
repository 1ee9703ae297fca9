"""Fuzzing the scenario readers (issue 14): a mutated Decide, KTAB, table or native file is either a valid
scenario whose forecast is finite, or exit 2 with one line — never a traceback."""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from backchannel.app.files import load_scenario
from backchannel.ensemble import run_forecast
from backchannel.scenario.errors import InputError
from backchannel.scenario.formats import parse, render
from backchannel.scenario.schema import Scenario

pytestmark = pytest.mark.slow  # about 15 s: 300 mutated files parsed and forecast, 15 through the CLI

KTAB = (
    "Case,A test,3,2,\nActor,Description,Influence,P Position,P Salience,Q Position,Q Salience,\n"
    "A1,First,10,20,30,40,50,\nA2,Second,5,60,10,70,20,\nA3,Third,1,90,40,10,40,\n"
)
BASES = {
    "decide": ("case.txt", render(load_scenario("ukraine-2025"), "decide")),
    "table": ("case.csv", render(load_scenario("ukraine-2025"), "table")),
    "ktab": ("case.ktab", KTAB),
    "yaml": ("case.yaml", render(load_scenario("ukraine-2025"), "yaml")),
    "json": ("case.json", render(load_scenario("ukraine-2025"), "json")),
}
HOSTILE = [
    "1e308",
    "-1e308",
    "1.0e+308",
    "nan",
    "NaN",
    "inf",
    "-inf",
    ".inf",
    "1e-320",
    "-0",
    "0",
    "100",
    "101",
    "-1",
    "1e6",
    "1e7",
    "99999999999999999999999",
    "0x10",
    "١٢",
    "",
    " ",
    '"',
    "'",
    ",",
    "\t",
    ";",
    "#A",
    "{a: {a: {a: 1}}}",
    "[" * 50,
    "{" * 40,
    "x" * 140_000,
    "\x00",
    "\ufeff",
    "é",
    "&",
    "*anchor",
    "!!python/none",
    "- - - -",
    "null",
    "true",
    "2025-13-45",
    "a.b",
    "…",
]


def _mutate(text: str, data) -> str:
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        if not lines:
            lines = [""]
        k = data.draw(st.integers(0, len(lines) - 1), label="line")
        op = data.draw(
            st.sampled_from(["cell", "cell", "insert", "delete", "duplicate", "truncate", "swap"]), label="op"
        )
        value = data.draw(
            st.one_of(
                st.sampled_from(HOSTILE), st.text(max_size=12), st.floats(allow_nan=True, allow_infinity=True).map(repr)
            ),
            label="value",
        )
        line = lines[k]
        if op == "cell":
            parts = [
                p
                for p in (
                    line.split(",")
                    if "," in line
                    else line.split("\t")
                    if "\t" in line
                    else line.split(": ")
                    if ": " in line
                    else [line]
                )
            ]
            j = data.draw(st.integers(0, len(parts) - 1), label="cell")
            parts[j] = value
            sep = "," if "," in line else "\t" if "\t" in line else ": " if ": " in line else ""
            lines[k] = sep.join(parts)
        elif op == "insert":
            at = data.draw(st.integers(0, len(line)), label="at")
            lines[k] = line[:at] + value + line[at:]
        elif op == "delete":
            del lines[k]
        elif op == "duplicate":
            lines.insert(k, line)
        elif op == "truncate":
            lines = lines[:k]
        else:
            j = data.draw(st.integers(0, len(lines) - 1), label="other")
            lines[k], lines[j] = lines[j], line
    return "\n".join(lines)


def _check(name: str, text: str) -> None:
    try:
        scenario = parse(text, name)
    except InputError as exc:
        shown = str(exc)
        assert shown and "\n" not in shown and len(shown) < 2000
        return
    assert isinstance(scenario, Scenario)
    payload = run_forecast(scenario, ["compromise"], 0, 0).to_dict()
    json.dumps(payload, allow_nan=False)  # every result is a finite number
    for issue in scenario.issues:
        assert math.isfinite(payload["models"]["compromise"]["outcome"][issue.id] or 0.0)


@pytest.mark.parametrize("fmt", sorted(BASES))
# No shrinking: a failing example is reported as found (shrinking 140,000-character cells takes minutes).
@settings(
    max_examples=60,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_a_mutated_file_is_a_valid_scenario_or_one_line(fmt, data):
    name, text = BASES[fmt]
    _check(name, _mutate(text, data))


@settings(
    max_examples=15,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(fmt=st.sampled_from(sorted(BASES)), data=st.data())
def test_the_cli_exits_2_with_one_line_or_validates(fmt, data):
    """The same through ``scenario validate``: exit 0, or exit 2 with one line on stderr (no traceback)."""
    import contextlib
    import io

    from backchannel.cli import main

    name, text = BASES[fmt]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(_mutate(text, data), encoding="utf-8", errors="surrogatepass")
        err, out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            try:
                main(["scenario", "validate", str(path)])
                code = 0
            except SystemExit as exc:
                code = exc.code
    assert code in (0, 2, None), err.getvalue()
    if code == 2:
        lines = [ln for ln in err.getvalue().splitlines() if ln.strip()]
        assert len(lines) == 1 and "Traceback" not in err.getvalue() and str(path) in lines[0]
