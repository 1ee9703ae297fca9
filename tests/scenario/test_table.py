"""Table CSV: the EC car-emission case, issue-level columns, rescaling, and rejecting bad input."""

from __future__ import annotations

import pytest

from backchannel.scenario.arrays import to_arrays
from backchannel.scenario.errors import InputError
from backchannel.scenario.formats import detect_format
from backchannel.scenario.formats.table import parse_table, render_table


@pytest.fixture(scope="module")
def emission(data_dir):
    return parse_table((data_dir / "emission-1994.csv").read_text(encoding="utf-8"), "emission-1994.csv")


def test_emission_case_is_one_issue_named_after_the_file(emission, data_dir):
    assert detect_format("emission-1994.csv", (data_dir / "emission-1994.csv").read_text()) == "table"
    assert [i.id for i in emission.issues] == ["emission-1994"]
    assert emission.issues[0].bounds is None
    assert [a.id for a in emission.actors] == [
        "Netherlands",
        "Belgium",
        "Luxembourg",
        "Germany",
        "France",
        "Italy",
        "UK",
        "Ireland",
        "Denmark",
        "Greece",
    ]
    # Scholz, Calbert & Smith 2011, Table 1: UK capability 0.16, position 10 years, salience 0.9.
    uk = emission.position("UK", "emission-1994")
    assert (emission.actor("UK").capability, uk.position, uk.salience, uk.capability) == (0.16, 10.0, 0.9, None)
    assert emission.actor("Luxembourg").capability == 0.03


def test_emission_weighted_mean_matches_the_published_start(emission):
    # Scholz et al. 2011 report the starting capability x salience weighted mean as 7.39 (two decimals).
    arrays = to_arrays(emission)
    w = arrays.weight[:, 0]
    assert float((w * arrays.position[:, 0]).sum() / w.sum()) == pytest.approx(7.39, abs=0.005)


def test_columns_in_any_order_and_case_with_bounds_and_per_issue_capability():
    text = (
        "Salience;ACTOR;Issue;Position;Power;Lower;Upper;Status_Quo\n"
        "0.5;A;x;3;2;0.5;7;\n"
        "0.2;B;x;7;1;;;2\n"
        "1;A;y;40;2;;;\n"
        "0.3;A;z;10;5;;;\n"
    )
    s = parse_table(text, "mixed.csv")
    x = s.issue("x")
    assert x.bounds == (0.5, 7.0)
    assert s.position("A", "x").position == pytest.approx(100 * 2.5 / 6.5, abs=1e-12)
    assert s.position("B", "x").position == 100.0
    assert x.status_quo == pytest.approx(100 * 1.5 / 6.5, abs=1e-12)
    assert s.issue("y").bounds is None
    # A's most common power (2) becomes its capability; the one differing row keeps its own.
    assert s.actor("A").capability == 2.0
    assert s.position("A", "z").capability == 5.0
    assert s.position("A", "y").capability is None
    back = parse_table(render_table(s), "mixed.csv")
    assert back == s


def test_capability_column_is_optional():
    s = parse_table("actor,position,salience\nA,10,0.5\nB,90,1\n", "one.csv")
    assert [a.capability for a in s.actors] == [1.0, 1.0]
    assert s.issues[0].id == "one"


HEADER = "actor,issue,position,salience,capability,lower,upper\n"
BAD = [
    # (id, text, line, field, message part)
    ("empty", "", None, None, "the file is empty"),
    ("header-only", "actor,position,salience\n", 1, None, "no data rows"),
    ("missing-column", "actor,issue,salience\nA,x,0.5\n", 1, "position", "missing column"),
    ("unknown-column", "actor,position,salince\nA,1,0.5\n", 1, "salince", "unknown column"),
    ("blank-column", "actor,,position,salience\nA,1,2,0.5\n", 1, "column 2", "unknown column"),
    ("duplicate-column", "actor,position,salience,Position\nA,1,0.5,2\n", 1, "Position", "duplicate column"),
    ("too-many-cells", HEADER + "A,x,10,0.5,1,,,7\n", 2, "column 8", "too many cells"),
    ("missing-cell", HEADER + "A,x,10\n", 2, "salience", "missing number"),
    ("not-a-number", HEADER + "A,x,ten,0.5,1\n", 2, "position", "not a number"),
    ("nan", HEADER + "A,x,10,NaN,1\n", 2, "salience", "not a finite number"),
    ("inf", HEADER + "A,x,10,0.5,inf\n", 2, "capability", "not a finite number"),
    ("salience-high", HEADER + "A,x,10,1.5,1\n", 2, "salience", "out of range"),
    ("capability-negative", HEADER + "A,x,10,0.5,-1\n", 2, "capability", "out of range"),
    ("position-off-scale", HEADER + "A,x,10,0.5,1\nB,x,120,0.5,1\n", 3, "position", "out of range"),
    ("position-off-bounds", HEADER + "A,x,3,0.5,1,0.5,7\nB,x,8,0.5,1,,\n", 3, "position", "out of range"),
    ("lower-without-upper", HEADER + "A,x,3,0.5,1,0.5,\n", 2, "upper", "lower given without upper"),
    ("bounds-reversed", HEADER + "A,x,3,0.5,1,7,0.5\n", 2, "lower", "lower must be below upper"),
    ("bounds-disagree", HEADER + "A,x,3,0.5,1,0.5,7\nB,x,3,0.5,1,1,7\n", 3, "lower", "differs from line 2"),
    ("duplicate-row", HEADER + "A,x,3,0.5,1\nB,x,3,0.5,1\nA,x,4,0.5,1\n", 4, "actor", "duplicate row"),
    ("missing-actor", HEADER + ",x,3,0.5,1\n", 2, "actor", "missing id"),
    ("dotted-issue", HEADER + "A,x.y,3,0.5,1\n", 2, "issue", "cannot contain '.'"),
]


@pytest.mark.parametrize(("text", "line", "field", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_names_file_line_and_field(text, line, field, message):
    with pytest.raises(InputError) as caught:
        parse_table(text, "t.csv")
    err = caught.value
    shown = str(err)
    assert "\n" not in shown
    assert (err.file, err.line, err.field) == ("t.csv", line, field)
    assert shown.startswith(f"t.csv:{line}" if line else "t.csv")
    if field:
        assert f"field {field!r}" in shown
    assert message in shown
    assert "allowed:" in shown


def test_byte_order_mark_and_semicolons_are_read():
    from backchannel.scenario.formats import parse

    s = parse("\ufeffactor;position;salience\nA;10;0.5\n", "bom.csv")
    assert s.position("A", "bom").position == 10.0
