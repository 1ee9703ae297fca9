"""Round trips: every scenario file in shared/data goes file -> YAML -> file and keeps every value.

For each file: parse, render native YAML, parse that, render in the original format, parse again;
the last scenario must equal the first, and its numbers, converted back to the file's units,
must equal the file's own cells (read here independently of the parsers) to 1e-9.
"""

from __future__ import annotations

import csv

import pytest

from backchannel.scenario.formats import FORMATS, detect_format, parse, render
from backchannel.scenario.formats.native import parse_yaml, render_yaml

TOL = 1e-9

FILES = [
    ("decide-cop21.csv", "decide"),
    ("decide-copenhagen.csv", "decide"),
    ("decide-copenhagen-variant.csv", "decide"),
    ("decide-sample.txt", "decide"),
    ("emission-1994.csv", "table"),
    ("ktab/SOE-Pol-Comp.csv", "ktab"),
    ("ktab/SOE-Policy.csv", "ktab"),
    ("ktab/dummyData-a040.csv", "ktab"),
    ("ktab/dummyData_3Dim.csv", "ktab"),
    ("ktab/dummyData_6Dim.csv", "ktab"),
]


def _text(data_dir, name: str) -> str:
    text = (data_dir / name).read_text(encoding="utf-8")
    if name == "decide-copenhagen-variant.csv":
        # Upstream's copenhagen_with_errors.csv: its two planted errors (a position of 160 on a 0..100
        # issue, a negative power) are rejected by the parser (see test_decide); restore the values
        # of decide-copenhagen.csv so the dialect itself can go round.
        text = text.replace("\tControl\t160\t", "\tControl\t60\t").replace("\t-0.247\n", "\t0.247\n")
    return text


def _raw_decide(text: str) -> dict[tuple[str, str], tuple[float, ...]]:
    """(actor, issue) -> (position, salience, power) straight from the #D rows."""
    out = {}
    for line in text.splitlines():
        cells = [c.strip().strip("'") for c in line.split("\t")]
        if cells[0] == "#D":
            out[(cells[1], cells[2])] = tuple(float(c) for c in cells[3:6])
    return out


def _raw_ktab(text: str) -> dict[tuple[str, str], tuple[float, ...]]:
    """(actor, dimension number) -> (position, salience 0..100, influence) from the actor rows."""
    rows = [[c.strip() for c in r] for r in csv.reader(text.splitlines()) if any(c.strip() for c in r)]
    dims = int(rows[0][3])
    return {
        (r[0], str(k)): (float(r[3 + 2 * k]), float(r[4 + 2 * k]), float(r[2])) for r in rows[2:] for k in range(dims)
    }


def _raw_table(text: str) -> dict[tuple[str, str], tuple[float, ...]]:
    """(actor, '') -> (position, salience, capability) from the emission table."""
    return {
        (r["actor"], ""): (float(r["position"]), float(r["salience"]), float(r["capability"]))
        for r in csv.DictReader(text.splitlines())
    }


def _values(scenario, fmt: str) -> dict[tuple[str, str], tuple[float, ...]]:
    """The same triples from a parsed scenario, converted back to the file's units."""
    issues = {i.id: (k, i) for k, i in enumerate(scenario.issues)}
    caps = {a.id: a.capability for a in scenario.actors}
    out = {}
    for p in scenario.positions:
        k, issue = issues[p.issue]
        power = p.capability if p.capability is not None else caps[p.actor]
        key = {"decide": p.issue, "ktab": str(k), "table": ""}[fmt]
        salience = p.salience * 100.0 if fmt == "ktab" else p.salience
        out[(p.actor, key)] = (issue.to_units(p.position), salience, power)
    return out


@pytest.mark.parametrize(("name", "fmt"), FILES, ids=[f[0] for f in FILES])
def test_file_yaml_file_keeps_every_value(data_dir, name, fmt):
    text = _text(data_dir, name)
    assert detect_format(name, text) == fmt
    first = parse(text, name)
    assert first.id == name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    via_yaml = parse_yaml(render_yaml(first), "via.yaml")
    assert via_yaml == first
    written = render(via_yaml, fmt)
    last = FORMATS[fmt][0](written, name)
    assert last == first
    # Writing is stable: the written file writes itself again unchanged.
    assert render(last, fmt) == written

    raw = {"decide": _raw_decide, "ktab": _raw_ktab, "table": _raw_table}[fmt](text)
    got = _values(last, fmt)
    assert got.keys() == raw.keys()
    for key, expected in raw.items():
        assert got[key] == pytest.approx(expected, abs=TOL), key
    # ... and the written file's own cells are the original numbers.
    again = {"decide": _raw_decide, "ktab": _raw_ktab, "table": _raw_table}[fmt](written)
    for key, expected in raw.items():
        assert again[key] == pytest.approx(expected, abs=TOL), key


@pytest.mark.parametrize(("name", "fmt"), FILES, ids=[f[0] for f in FILES])
def test_json_round_trip(data_dir, name, fmt):
    first = parse(_text(data_dir, name), name)
    assert parse(render(first, "json"), "via.json") == first
