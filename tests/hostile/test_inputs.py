"""Hostile scenario files (issue 14, items 1–3): one line and exit 2, never a traceback or a model overflow."""

from __future__ import annotations

import json

import pytest

from backchannel.app.files import load_scenario
from backchannel.scenario.bounds import MAX_CAPABILITY
from backchannel.scenario.errors import InputError
from backchannel.scenario.formats import parse, render
from backchannel.scenario.formats.native import MAX_DEPTH, parse_json, parse_yaml, render_yaml

BASE = render_yaml(load_scenario("ukraine-2025"))


def _one_line(err: InputError) -> str:
    shown = str(err)
    assert "\n" not in shown and shown
    return shown


@pytest.mark.parametrize("value", ["1.0e+308", "1e308", "1.0e+7", "1e300"])
def test_a_huge_capability_is_refused_with_its_whole_range(value):
    text = BASE.replace("  capability: 1\n", f"  capability: {value}\n", 1)
    assert text != BASE
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "u.yaml")
    shown = _one_line(caught.value)
    assert caught.value.field == "actors[0].capability"
    assert "out of range" in shown and f"a number <= {MAX_CAPABILITY:g} (range 0..{MAX_CAPABILITY:g})" in shown


@pytest.mark.parametrize(
    ("edit", "field", "allowed"),
    [
        (("salience: 0.5", "salience: 1.5"), "salience", "a number <= 1 (range 0..1)"),
        (("status_quo: ", "status_quo: -"), "status_quo", "a number >= 0 (range 0..100)"),
    ],
)
def test_every_bound_names_the_whole_range(edit, field, allowed):
    text = BASE.replace(*edit, 1)
    assert text != BASE
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "u.yaml")
    assert caught.value.field.endswith(field) and allowed in _one_line(caught.value)


def test_issue_bounds_and_lever_capabilities_are_bounded_too():
    data = json.loads(render(load_scenario("ukraine-2025"), "json"))
    data["issues"][0]["bounds"] = [-1e308, 1e308]
    with pytest.raises(InputError) as caught:
        parse_json(json.dumps(data), "u.json")
    assert caught.value.field == "issues[0].bounds[0]" and "range -1e+12..1e+12" in _one_line(caught.value)
    data = json.loads(render(load_scenario("ukraine-2025"), "json"))
    actor = data["actors"][0]["id"]
    data["levers"][0]["set"] = {f"{actor}.capability": 1e308}
    with pytest.raises(InputError) as caught:
        parse_json(json.dumps(data), "u.json")
    assert "out of range; allowed: 0..1e+06" in _one_line(caught.value)


def test_the_json_schema_states_each_range():
    from backchannel.scenario.schema import Scenario

    defs = Scenario.model_json_schema()["$defs"]
    assert (
        defs["Actor"]["properties"]["capability"]["minimum"],
        defs["Actor"]["properties"]["capability"]["maximum"],
    ) == (0.0, MAX_CAPABILITY)
    assert defs["Position"]["properties"]["salience"]["maximum"] == 1.0


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("flow.yaml", "{a: " * 1000 + "1" + "}" * 1000),
        ("list.json", "[" * 1000 + "]" * 1000),
        ("object.json", '{"a": ' * 1000 + "1" + "}" * 1000),
        ("block.yaml", "".join(" " * i + "a:\n" for i in range(3000)) + " " * 3000 + "1\n"),
        ("dashes.yaml", "- " * 800 + "1\n"),
    ],
)
def test_deep_nesting_is_one_line(name, text):
    with pytest.raises(InputError) as caught:
        parse(text, name)
    assert f"at most {MAX_DEPTH} levels of nesting" in _one_line(caught.value)


def test_brackets_inside_quoted_text_do_not_count_as_nesting():
    data = json.loads(render(load_scenario("ukraine-2025"), "json"))
    data["description"] = "[" * 100 + ' quoted \\" brackets {{{{'
    assert parse_json(json.dumps(data), "u.json").description == data["description"]


KTAB = (
    "Case,A test,2,2,\nActor,Description,Influence,P Position,P Salience,Q Position,Q Salience,\n"
    "A1,First,10,20,30,40,50,\nA2,Second,5,60,10,70,20,\n"
)


@pytest.mark.parametrize("fmt", ["decide", "ktab", "table"])
def test_a_cell_past_the_csv_limit_is_one_line(fmt):
    lines = (KTAB if fmt == "ktab" else render(load_scenario("ukraine-2025"), fmt)).splitlines()
    parse("\n".join(lines) + "\n", "ok", fmt)  # the file is valid before the long cell
    delimiter = "\t" if fmt == "decide" and "\t" in lines[0] else ","
    lines[2] += delimiter + '"' + "x" * 140_000 + '"'
    name = {"decide": "u.txt", "ktab": "u.ktab", "table": "u.csv"}[fmt]
    with pytest.raises(InputError) as caught:
        parse("\n".join(lines) + "\n", name, fmt)
    shown = _one_line(caught.value)
    assert caught.value.line == 3 and "field larger than field limit" in shown and "131,072 characters" in shown
