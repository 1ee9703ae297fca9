"""Native YAML/JSON: every kind of bad input gives one line naming the file, the line and the field."""

from __future__ import annotations

import json

import pytest
import yaml

from backchannel.scenario.errors import InputError
from backchannel.scenario.formats.native import parse_json, parse_yaml

BASE = """\
id: t
actors:
  - id: a
    capability: 1
  - id: b
issues:
  - id: x
positions:
  - actor: a
    issue: x
    position: 10
    salience: 0.5
  - actor: b
    issue: x
    position: 20
    salience: 0.5
"""

CASES = [
    # (id, (old, new) edit of BASE, line, field, message parts)
    ("missing-field", ("  - id: x\n", "  - name: x\n"), 7, "issues[0].id", ["missing required field"]),
    ("unknown-actor", ("actor: b", "actor: c"), 13, "positions[1].actor", ["unknown actor 'c'", "allowed: a, b"]),
    ("duplicate-actor", ("  - id: b", "  - id: a"), 5, "actors[1].id", ["duplicate id 'a'"]),
    (
        "salience-1.5",
        ("salience: 0.5\n  - actor: b", "salience: 1.5\n  - actor: b"),
        12,
        "positions[0].salience",
        ["out of range (got 1.5)", "allowed: a number <= 1"],
    ),
    (
        "nan-position",
        ("position: 20", "position: .nan"),
        15,
        "positions[1].position",
        ["not a finite number (got nan)"],
    ),
    ("word-position", ("position: 20", "position: twenty"), 15, "positions[1].position", ["not a number"]),
    (
        "negative-capability",
        ("capability: 1", "capability: -1"),
        4,
        "actors[0].capability",
        ["out of range (got -1)", "a number >= 0"],
    ),
    ("dotted-id", ("id: x", "id: x.y"), 7, "issues[0].id", ["cannot contain '.'"]),
    (
        "range-without-position",
        ("position: 20", "position: 20\n    range: [30, 40]"),
        16,
        "positions[1].range",
        ["[30.0, 40.0] does not contain its value 20.0", "allowed:"],
    ),
    ("unknown-field", ("capability: 1", "capabilty: 1"), 4, "actors[0].capabilty", ["unknown field"]),
    ("malformed-flow", ("  - id: b", "  - id: [b"), 6, "id", ["malformed YAML", "flow sequence on line 5"]),
    (
        "malformed-indent",
        ("    issue: x\n    position: 20", "    issue: x\n   position: 20"),
        15,
        "position",
        ["malformed YAML"],
    ),
]


@pytest.mark.parametrize(("edit", "line", "field", "parts"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_yaml_errors_are_one_located_line(edit, line, field, parts):
    assert edit[0] in BASE
    with pytest.raises(InputError) as caught:
        parse_yaml(BASE.replace(*edit, 1), "case.yaml")
    err = caught.value
    shown = str(err)
    assert "\n" not in shown
    assert (err.file, err.line, err.field) == ("case.yaml", line, field)
    assert shown.startswith(f"case.yaml:{line}: field {field!r}: ")
    for part in parts:
        assert part in shown


def test_not_a_mapping():
    with pytest.raises(InputError, match=r"^list.yaml: a scenario must be a mapping"):
        parse_yaml("- a\n- b\n", "list.yaml")


def _json(data) -> str:
    return json.dumps(data, indent=2)


def test_json_errors_are_located_too():
    data = yaml.safe_load(BASE)
    data["positions"][1]["salience"] = 1.5
    text = _json(data)
    with pytest.raises(InputError) as caught:
        parse_json(text, "case.json")
    expected_line = text.splitlines().index('      "salience": 1.5') + 1
    assert (caught.value.line, caught.value.field) == (expected_line, "positions[1].salience")
    broken = _json(yaml.safe_load(BASE)).replace('"salience": 0.5\n    },', '"salience": 0.5\n    }', 1)
    with pytest.raises(InputError) as caught:
        parse_json(broken, "case.json")
    assert str(caught.value).startswith("case.json:")
    assert "malformed JSON" in str(caught.value) and caught.value.line is not None
    assert caught.value.field == "salience"
