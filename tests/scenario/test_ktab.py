"""KTAB CSV: reading KTAB's shipped example scenarios, writing them back, and rejecting bad input.

Reference values are the cells of the files in shared/data/ktab (KTAB's own examples, MIT,
github KAPSARC/KTAB); saliences are divided by 100 exactly as KTAB's reader does, compared to 1e-12.
"""

from __future__ import annotations

import pytest

from backchannel.scenario.errors import InputError
from backchannel.scenario.formats import detect_format
from backchannel.scenario.formats.ktab import parse_ktab, render_ktab

FILES = {
    # file: (actors, dimension ids) as line 1 and the header of each file state them
    "SOE-Pol-Comp.csv": (13, ["Policy", "Competitive"]),
    "SOE-Policy.csv": (26, ["Policy"]),
    "dummyData-a040.csv": (40, ["XYZ"]),
    "dummyData_3Dim.csv": (7, ["Dim1", "Dim2", "Dim3"]),
    "dummyData_6Dim.csv": (27, ["Dim0", "Dim1", "Dim2", "Dim3", "Dim4", "Dim5"]),
}


def _load(data_dir, name):
    path = data_dir / "ktab" / name
    return parse_ktab(path.read_text(encoding="utf-8"), name)


@pytest.mark.parametrize("name", sorted(FILES))
def test_shipped_examples_parse_with_their_declared_sizes(data_dir, name):
    scenario = _load(data_dir, name)
    n_actors, dims = FILES[name]
    assert len(scenario.actors) == n_actors
    assert [i.id for i in scenario.issues] == dims
    assert len(scenario.positions) == n_actors * len(dims)
    assert scenario.id == name.removesuffix(".csv")
    assert detect_format(name, (data_dir / "ktab" / name).read_text()) == "ktab"


def test_soe_pol_comp_values(data_dir):
    s = _load(data_dir, "SOE-Pol-Comp.csv")
    assert s.title == "China Policy/Competitive; scen 2"
    assert s.description == "Scenario-0002;Combined Policy and Competitive"
    xj = s.actor("XJ")
    assert (xj.name, xj.capability) == ("Xi Jinping", 100.0)
    # XJ,Xi Jinping, 100.0,30,24.0,20,48.0
    assert s.position("XJ", "Policy").position == 30.0
    assert s.position("XJ", "Policy").salience == pytest.approx(0.24, abs=1e-12)
    assert s.position("XJ", "Competitive").position == 20.0
    assert s.position("XJ", "Competitive").salience == pytest.approx(0.48, abs=1e-12)
    # WY,CNOOC - Wang Yilin, 40.0,15,49.0,60,46.0
    wy = s.position("WY", "Competitive")
    assert (wy.position, wy.salience, s.actor("WY").capability) == (60.0, pytest.approx(0.46, abs=1e-12), 40.0)


def test_numbered_headers_quoted_description_and_crlf(data_dir):
    three = _load(data_dir, "dummyData_3Dim.csv")
    assert three.description == "Dummy scenario to test reading format"
    # SActor-02, Random Spatial Actor, 129.643, 82.45, 48.47, 90.89, 13.55, 0.07, 34.62
    p = three.position("SActor-02", "Dim3")
    assert (p.position, p.salience) == (0.07, pytest.approx(0.3462, abs=1e-12))
    assert three.actor("SActor-02").capability == 129.643
    six = _load(data_dir, "dummyData_6Dim.csv")  # CRLF line ends, an extra cell on line 1
    # AA12,Actor 12,30.57,...,Dim3: 100, 72.76
    assert six.position("AA12", "Dim3").salience == pytest.approx(0.7276, abs=1e-12)
    assert six.actor("AA26").capability == 33.33


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("Policy Position", "Policy"),
        ("Pstn1", "Dim1"),
        ("Dim0 Position", "Dim0"),
        ("Growth_pos", "Growth"),
        ("Repos", "Repos"),
        ("G.D.P. Position", "G_D_P_"),
    ],
)
def test_dimension_names_from_position_headers(header, name):
    text = f"Case,,1,1\nActor,Description,Influence,{header},Salience\nA,,1,50,50\n"
    assert [i.id for i in parse_ktab(text, "c.csv").issues] == [name]


def test_render_then_parse_gives_the_same_scenario(data_dir):
    for name in FILES:
        scenario = _load(data_dir, name)
        assert parse_ktab(render_ktab(scenario), name) == scenario


HEAD = "Case,A test,{n},{d},\nActor,Description,Influence,P Position,P Salience,Q Position,Q Salience,\n"
GOOD = "A1,First,10,20,30,40,50,\nA2,Second,5,60,10,70,20,\n"


def _text(rows, n=2, d=2):
    return HEAD.format(n=n, d=d) + rows


BAD = [
    # (id, text, line, field, message part)
    ("empty", "", None, None, "the file is empty"),
    ("blank-lines", "\n ,,\n", None, None, "the file is empty"),
    ("first-line-short", "Case,A test,2\n", 1, "n_dims", "missing field"),
    ("n-actors-word", "Case,A test,two,2\n", 1, "n_actors", "not a number"),
    ("n-dims-fraction", "Case,A test,2,1.5\n", 1, "n_dims", "not a whole number"),
    ("header-missing", "Case,A test,2,2\n", 2, None, "missing header line"),
    ("actor-count", _text(GOOD, n=3), 1, "n_actors", "line 1 gives 3 actors but the file has 2"),
    ("dim-count", _text(GOOD, d=3), 2, "n_dims", "the header has 7 columns"),
    ("row-short", _text("A1,First,10,20,30,40\nA2,Second,5,60,10,70,20\n"), 3, "Q Salience", "missing field"),
    ("row-long", _text("A1,First,10,20,30,40,50,9\nA2,Second,5,60,10,70,20\n"), 3, "column 8", "too many cells"),
    ("capability-word", _text("A1,First,ten,20,30,40,50\nA2,Second,5,60,10,70,20\n"), 3, "Influence", "not a number"),
    (
        "capability-negative",
        _text("A1,First,-1,20,30,40,50\nA2,Second,5,60,10,70,20\n"),
        3,
        "Influence",
        "out of range",
    ),
    ("position-high", _text("A1,First,10,20,30,40,50\nA2,Second,5,160,10,70,20\n"), 4, "P Position", "out of range"),
    ("salience-nan", _text("A1,First,10,20,nan,40,50\nA2,Second,5,60,10,70,20\n"), 3, "P Salience", "not a finite"),
    ("position-inf", _text("A1,First,10,20,30,inf,50\nA2,Second,5,60,10,70,20\n"), 3, "Q Position", "not a finite"),
    (
        "salience-sum",
        _text("A1,First,10,20,60,40,50\nA2,Second,5,60,10,70,20\n"),
        3,
        "salience",
        "sum to more than 100",
    ),
    ("duplicate-actor", _text("A1,First,10,20,30,40,50\nA1,Again,5,60,10,70,20\n"), 4, "Actor", "duplicate actor"),
    ("dotted-actor", _text("A.1,First,10,20,30,40,50\nA2,Second,5,60,10,70,20\n"), 3, "Actor", "cannot contain '.'"),
    ("missing-actor-id", _text(",First,10,20,30,40,50\nA2,Second,5,60,10,70,20\n"), 3, "Actor", "missing id"),
]


def test_a_good_small_file_parses():
    s = parse_ktab(_text(GOOD), "case.csv")
    assert s.position("A2", "Q").salience == pytest.approx(0.2, abs=1e-12)


@pytest.mark.parametrize(("text", "line", "field", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_names_file_line_and_field(text, line, field, message):
    with pytest.raises(InputError) as caught:
        parse_ktab(text, "case.csv")
    err = caught.value
    shown = str(err)
    assert "\n" not in shown
    assert (err.file, err.line, err.field) == ("case.csv", line, field)
    assert shown.startswith(f"case.csv:{line}" if line else "case.csv")
    if field:
        assert f"field {field!r}" in shown
    assert message in shown
    assert "allowed:" in shown


def test_render_refuses_what_ktab_cannot_hold():
    s = parse_ktab(_text(GOOD), "case.csv")
    missing = s.model_copy(update={"positions": s.positions[1:]})
    with pytest.raises(InputError, match="every actor's position on every dimension.*A1.P"):
        render_ktab(missing)
    own = s.positions[0].model_copy(update={"capability": 3.0})
    with pytest.raises(InputError, match="one capability per actor.*A1.P"):
        render_ktab(s.model_copy(update={"positions": (own, *s.positions[1:])}))
    loud = s.positions[0].model_copy(update={"salience": 0.9})
    with pytest.raises(InputError, match="sum to at most 1.*A1: 1.4"):
        render_ktab(s.model_copy(update={"positions": (loud, *s.positions[1:])}))


# shared/data/ktab/reference-final-positions.txt: "capsal-mean ... initial=" per dimension, the
# capability x salience weighted mean of the initial positions as computed from KTAB's run
# (printed to two decimals, so compared to 0.005).
INITIAL_MEANS = {
    "dummyData_3Dim.csv": [78.78, 47.60, 52.32],
    "SOE-Pol-Comp.csv": [36.29, 38.89],
    "dummyData_6Dim.csv": [42.61, 66.04, 62.83, 74.98, 64.42, 74.02],
    "dummyData-a040.csv": [62.95],
}


@pytest.mark.parametrize("name", sorted(INITIAL_MEANS))
def test_weighted_initial_means_match_ktab_reference(data_dir, name):
    from backchannel.scenario.arrays import to_arrays

    arrays = to_arrays(_load(data_dir, name))
    means = (arrays.weight * arrays.position).sum(axis=0) / arrays.weight.sum(axis=0)
    assert means.tolist() == pytest.approx(INITIAL_MEANS[name], abs=0.005 + 1e-9)
