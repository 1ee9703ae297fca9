"""Decide format: both dialects of the files shipped with the Decide exchange model, and bad input.

Reference values are the cells of shared/data/decide-*.{csv,txt} (from github
foarsitter/decide-exchange-model); rescaled positions are compared to 1e-12.
"""

from __future__ import annotations

import pytest

from backchannel.scenario.errors import InputError
from backchannel.scenario.formats import detect_format
from backchannel.scenario.formats.decide import parse_decide, render_decide


def _load(data_dir, name):
    return parse_decide((data_dir / name).read_text(encoding="utf-8"), name)


def test_cop21_has_15_groups_on_13_issues(data_dir):
    s = _load(data_dir, "decide-cop21.csv")
    assert s.id == "decide-cop21"
    assert len(s.actors) == 15 and len(s.issues) == 13
    # 7 groups (ALBA, Arab states, Brazil, China, India, Umbrella, Russia) give no amb2050/amb2100 row.
    assert len(s.positions) == 15 * 13 - 7 * 2
    assert s.position("ALBA", "amb2050") is None
    assert all(i.bounds is None for i in s.issues)  # every #M pair is 0 / 100
    # '#D' 'EU28' 'finance_who' 80.0 0.8 0.75
    eu = s.position("EU28", "finance_who")
    assert (eu.position, eu.salience, s.actor("EU28").capability, eu.capability) == (80.0, 0.8, 0.75, None)
    assert s.actor("China").capability == 1.0
    assert s.issue("amb2050").description == "amb2050"
    assert s.actor("African_grp").description is None  # the empty '' description cell
    assert detect_format("decide-cop21.csv", (data_dir / "decide-cop21.csv").read_text()) == "decide"


def test_sample_rescales_fractional_bounds(data_dir):
    s = _load(data_dir, "decide-sample.txt")
    tol = s.issue("tol-hoogte")
    assert tol.bounds == (0.5, 7.0)
    # Willems' 3.0 on 0.5..7 is 100 * 2.5 / 6.5 = 38.4615...
    assert s.position("Willems", "tol-hoogte").position == pytest.approx(38.46153846153846, abs=1e-12)
    assert s.position("VVDs", "tol-hoogte").position == 0.0  # 0.5, the lower bound
    assert s.position("GL", "tol-hoogte").position == pytest.approx(100 * 4.5 / 6.5, abs=1e-12)
    assert tol.to_units(s.position("Willems", "tol-hoogte").position) == pytest.approx(3.0, abs=1e-12)
    assert s.issue("wanneer-tol").description == "Wat is dit voor onzin?"
    assert s.actor("CDA").description == "Test"
    assert s.issue("tolheffing-binnenstad").bounds is None
    assert (s.actor("GL").capability, s.actor("Wcentr").capability) == (0.6, 0.9)


def test_copenhagen_quoted_dialect_and_spaces_in_ids(data_dir):
    s = _load(data_dir, "decide-copenhagen.csv")
    assert (len(s.actors), len(s.issues), len(s.positions)) == (11, 7, 75)
    p = s.position("EU (incl Norway)", "DevlopC2020")
    assert (p.position, p.salience, s.actor("EU (incl Norway)").capability) == (70.0, 0.9, 0.156)
    assert s.position("Russia", "Commitments") is None


def _fixed_variant(data_dir) -> str:
    """The variant file with its two planted errors put back to the values of decide-copenhagen.csv."""
    text = (data_dir / "decide-copenhagen-variant.csv").read_text(encoding="utf-8")
    text = text.replace("#D\tRussia\tControl\t160\t", "#D\tRussia\tControl\t60\t")
    return text.replace("\t-0.247\n", "\t0.247\n")


def test_variant_reports_its_planted_errors_with_their_lines(data_dir):
    # Upstream this file is copenhagen_with_errors.csv: Russia's Control position is 160 on an
    # issue without #M rows (so 0..100), and China India's Control power is negative.
    name = "decide-copenhagen-variant.csv"
    text = (data_dir / name).read_text(encoding="utf-8")
    assert text.splitlines()[85] == "#D\tRussia\tControl\t160\t0.1\t0.013"
    with pytest.raises(InputError) as caught:
        parse_decide(text, name)
    assert (caught.value.line, caught.value.field, caught.value.value) == (86, "position", 160.0)
    assert str(caught.value).startswith(f"{name}:86: field 'position': position outside the issue's bounds")
    text = text.replace("\tControl\t160\t", "\tControl\t60\t")
    with pytest.raises(InputError) as caught:
        parse_decide(text, name)
    assert (caught.value.line, caught.value.field, caught.value.value) == (87, "power", -0.247)


def test_variant_dialect_reads_the_same_case_as_the_quoted_file(data_dir):
    variant = parse_decide(_fixed_variant(data_dir), "decide-copenhagen-variant.csv")
    quoted = _load(data_dir, "decide-copenhagen.csv")
    assert variant.title == "Copenhagen negotiations"
    assert variant.description.splitlines()[0] == (
        "Data collected on 27 and 28 Oct 2009. Clarisse Siebert and Richard Klein (SEI)"
    )
    assert "Adaptation issues" in variant.description.splitlines()
    assert variant.issue("Newtreaty").name == "Copenhagen new treaty vs extension of Kyoto"
    # The quoted file spells two actors differently; otherwise every number agrees.
    rename = {"Canadas": "Canada", "Japans": "Japan"}

    def numbers(s):
        caps = {a.id: a.capability for a in s.actors}
        return {
            (rename.get(p.actor, p.actor), p.issue): (
                p.position,
                p.salience,
                p.capability if p.capability is not None else caps[p.actor],
            )
            for p in s.positions
        }

    assert numbers(variant) == numbers(quoted)
    assert len(variant.positions) == 75


def test_render_writes_the_original_units_back(data_dir):
    s = _load(data_dir, "decide-sample.txt")
    text = render_decide(s)
    assert "'#M'\t'tol-hoogte'\t0.5\n'#M'\t'tol-hoogte'\t7\n" in text
    assert "'#D'\t'Willems'\t'tol-hoogte'\t3\t0.7\t1\n" in text
    assert parse_decide(text, "decide-sample.txt") == s


def test_per_issue_power_labels_and_comments_survive():
    text = (
        "#O\tA case\n#/\tfirst note\n"
        "#A\tA\tAlpha\n#A\tB\tBeta\tthe second\n"
        "#P\tx\tEx\n#M\tx\t-10\tnone at all\n#M\tx\t10\tall of it\n#M\tx\t0\thalf\n"
        "#D\tA\tx\t-10\t0.5\t0.4\n#D\tB\tx\t5\t1\t0.2\tguess\n"
        "#P\ty\tWhy\n#D\tA\ty\t50\t0.5\t0.4\n#D\tB\ty\t50\t0.5\t0.3\n#D\tA\ty\t50\t0.5\t0.4\n"
    )
    s = parse_decide(text, "small.decide")
    assert (s.title, s.description) == ("A case", "first note")
    x = s.issue("x")
    assert x.bounds == (-10.0, 10.0)
    assert x.scale == {0.0: "none at all", 50.0: "half", 100.0: "all of it"}
    assert s.position("B", "x").position == 75.0 and s.position("B", "x").assumption == "guess"
    # B's powers 0.2 and 0.3 tie: the first seen is the actor's, the other a per-issue override.
    assert s.actor("B").capability == 0.2 and s.position("B", "y").capability == 0.3
    assert s.position("A", "y").capability is None
    assert len(s.positions) == 4  # the repeated A-y row is dropped
    assert parse_decide(render_decide(s), "small.decide") == s


HEAD = "'#A'\t'A'\t'Alpha'\t''\n'#A'\t'B'\t'Beta'\t''\n'#P'\t'x'\t'Ex'\t''\n'#M'\t'x'\t0.5\n'#M'\t'x'\t7\n"
BAD = [
    # (id, text, line, field, message part)
    ("empty", "", None, None, "the file is empty"),
    ("not-decide", "actor,position\nA,1\n", 1, "row type", "not a Decide record"),
    ("unknown-tag", HEAD + "'#Q'\t'x'\n", 6, "row type", "unknown row type"),
    ("no-issues", "#A\tA\tAlpha\n", None, "#P", "no issues"),
    ("no-actors", "#P\tx\tEx\n", None, "#A", "no actors"),
    ("short-actor", "#A\tA\n#P\tx\tEx\n", 1, "name", "missing field in a #A row"),
    ("short-data", HEAD + "'#D'\t'A'\t'x'\t3\t0.5\n", 6, "power", "missing field in a #D row"),
    ("unknown-actor", HEAD + "'#D'\t'C'\t'x'\t3\t0.5\t1\n", 6, "actor", "unknown actor"),
    ("unknown-issue", HEAD + "'#D'\t'A'\t'y'\t3\t0.5\t1\n", 6, "issue", "unknown issue"),
    ("unknown-bound-issue", HEAD + "'#M'\t'y'\t3\n", 6, "issue", "#M row for an unknown issue"),
    ("one-bound", "'#A'\t'A'\t'Alpha'\n'#P'\t'x'\t'Ex'\n'#M'\t'x'\t3\n", 3, "value", "needs a lower and an upper"),
    ("bound-word", HEAD + "'#M'\t'x'\tlots\n", 6, "value", "not a number"),
    ("position-word", HEAD + "'#D'\t'A'\t'x'\tthree\t0.5\t1\n", 6, "position", "not a number"),
    ("position-nan", HEAD + "'#D'\t'A'\t'x'\tnan\t0.5\t1\n", 6, "position", "not a finite number"),
    ("power-inf", HEAD + "'#D'\t'A'\t'x'\t3\t0.5\tinf\n", 6, "power", "not a finite number"),
    ("position-outside", HEAD + "'#D'\t'A'\t'x'\t7.5\t0.5\t1\n", 6, "position", "outside the issue's bounds"),
    ("salience-high", HEAD + "'#D'\t'A'\t'x'\t3\t1.5\t1\n", 6, "salience", "out of range"),
    ("power-negative", HEAD + "'#D'\t'A'\t'x'\t3\t0.5\t-1\n", 6, "power", "out of range"),
    ("duplicate-actor", HEAD + "'#A'\t'A'\t'Other'\t''\n", 6, "id", "duplicate actor id with different content"),
    (
        "duplicate-data",
        HEAD + "'#D'\t'A'\t'x'\t3\t0.5\t1\n'#D'\t'A'\t'x'\t4\t0.5\t1\n",
        7,
        "actor",
        "second, different #D row",
    ),
    ("dotted-id", "'#A'\t'A.B'\t'Alpha'\n'#P'\t'x'\t'Ex'\n", 1, "id", "cannot contain '.'"),
]


@pytest.mark.parametrize(("text", "line", "field", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_names_file_line_and_field(text, line, field, message):
    with pytest.raises(InputError) as caught:
        parse_decide(text, "d.csv")
    err = caught.value
    shown = str(err)
    assert "\n" not in shown
    assert (err.file, err.line, err.field) == ("d.csv", line, field)
    assert shown.startswith(f"d.csv:{line}" if line else "d.csv")
    if field:
        assert f"field {field!r}" in shown
    assert message in shown
    assert "allowed:" in shown


def test_identical_repeated_actor_rows_are_tolerated():
    s = parse_decide(HEAD + "'#A'\t'A'\t'Alpha'\t''\n'#D'\t'A'\t'x'\t3\t0.5\t1\n", "d.csv")
    assert [a.id for a in s.actors] == ["A", "B"]
