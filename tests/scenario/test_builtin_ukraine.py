"""The built-in ukraine-2025 scenario: complete, faithful to its articles, and sane under the compromise model."""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from backchannel.app.files import builtin_article, load_scenario
from backchannel.models import get_model
from backchannel.scenario.arrays import ScenarioArrays, to_arrays
from backchannel.scenario.formats.native import parse_yaml, render_yaml

ACTORS = {"usa", "russia", "ukraine", "eu", "uk", "china", "turkey"}
ISSUES = ["territory", "nato", "security_guarantees", "military_limits", "sanctions", "ceasefire", "elections"]
OUTCOMES = {
    "frozen_conflict",
    "territorial_compromise_with_guarantees",
    "neutrality_demilitarisation",
    "frozen_conflict_no_agreement",
    "escalation_no_deal",
}
NO_DEAL = {"frozen_conflict_no_agreement", "escalation_no_deal"}
LEVERS = {"secondary_tariffs", "sanctions_relief_offer", "us_aid_suspended", "european_security_guarantee"}
ARTICLES = ["000_us_russia_secret_talks.txt", "001_miami_talks_scenarios.txt", "002_putin_trump_exchanges.txt"]

# The issue scales as written in shared/articles/README.md (checked against the file itself below).
README_SCALES = {
    "territory": {
        0: "withdrawal to 1991 borders",
        50: "freeze on the line of contact",
        100: "all four oblasts ceded and Crimea recognised",
    },
    "nato": {0: "membership", 100: "permanent neutrality"},
    "security_guarantees": {0: "binding Western guarantees with forces", 100: "none"},
    "military_limits": {0: "no caps", 100: "strict demilitarisation"},
    "sanctions": {0: "kept or tightened", 100: "all lifted"},
    "ceasefire": {0: "immediate unconditional", 100: "none until a settlement on Russia's terms"},
    "elections": {0: "no demand", 100: "new Ukrainian elections required"},
}


@pytest.fixture(scope="module")
def shared_articles() -> Path:
    """``shared/articles`` beside the repository (or under $BACKCHANNEL_SHARED), as tests/conftest.py finds it."""
    root = Path(os.environ.get("BACKCHANNEL_SHARED", Path(__file__).resolve().parents[2].parent / "shared"))
    if not (root / "articles").is_dir():
        pytest.fail(f"shared articles not found at {root / 'articles'}; set BACKCHANNEL_SHARED")
    return root / "articles"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("ukraine-2025")


def _cited(scenario):
    return [(p, src) for p in scenario.positions for src in p.sources]


# -- completeness ---------------------------------------------------------------------------
def test_metadata(scenario):
    assert scenario.id == "ukraine-2025"
    assert scenario.title and scenario.description and scenario.source
    assert scenario.as_of is not None and scenario.as_of.year == 2025


def test_required_actors_issues_outcomes_levers(scenario):
    assert ACTORS <= {a.id for a in scenario.actors}
    assert [i.id for i in scenario.issues] == ISSUES  # exactly these issues, in this order
    assert {o.id for o in scenario.outcomes} == OUTCOMES
    assert {lv.id for lv in scenario.levers} == LEVERS
    for item in (*scenario.actors, *scenario.issues, *scenario.outcomes, *scenario.levers):
        assert item.name != item.id and item.description, item.id


def test_actor_capabilities_and_aliases(scenario):
    for actor in scenario.actors:
        assert 0 < actor.capability <= 1, actor.id
        assert len(actor.aliases) >= 3, actor.id
    # The US is the reference actor and outweighs Russia, which outweighs Ukraine (see the YAML comments).
    cap = {a.id: a.capability for a in scenario.actors}
    assert cap["usa"] == 1.0 and cap["usa"] > cap["russia"] > cap["ukraine"] > cap["turkey"]


def test_aliases_are_unambiguous_and_cover_names_in_the_articles(scenario):
    owner: dict[str, str] = {}
    for actor in scenario.actors:
        for alias in actor.aliases:
            assert alias.casefold() not in owner, f"{alias!r} belongs to {owner.get(alias.casefold())} and {actor.id}"
            owner[alias.casefold()] = actor.id
    # Names that occur in the packaged articles must link to the right actor.
    expected = {
        "Putin": "russia",
        "Vladimir Putin": "russia",
        "Kremlin": "russia",
        "Moscow": "russia",
        "Peskov": "russia",
        "Dmitry Peskov": "russia",
        "Trump": "usa",
        "Donald Trump": "usa",
        "Washington": "usa",
        "Biden administration": "usa",
        "Zelensky": "ukraine",
        "Volodymyr Zelensky": "ukraine",
        "European Union": "eu",
        "Beijing": "china",
        "China": "china",
        "Turkey": "turkey",
    }
    text = "".join(builtin_article(name) for name in ARTICLES)
    for name, actor in expected.items():
        assert name in text, name  # the name really occurs in an article
        assert owner.get(name.casefold()) == actor, name


def test_issue_scales_equal_the_readme_transcription(scenario):
    for issue in scenario.issues:
        assert issue.scale == {float(k): v for k, v in README_SCALES[issue.id].items()}, issue.id


def test_readme_transcription_matches_the_shared_readme(shared_articles):
    text = " ".join((shared_articles / "README.md").read_text(encoding="utf-8").split())
    found = {}
    for issue, body in re.findall(r"(?:: |, )(\w+) \(([^()]*=[^()]*)\)", text):
        points = [part.split(" = ", 1) for part in body.split("; ")]
        found[issue] = {int(k): v for k, v in points}
    assert found == README_SCALES


def test_every_issue_has_a_justified_status_quo(scenario):
    for issue in scenario.issues:
        assert issue.status_quo is not None, issue.id
        # The description states the status quo value it justifies.
        assert f"Status quo {issue.status_quo:g}" in issue.description, issue.id


# -- evidence -------------------------------------------------------------------------------
def test_every_position_has_a_source_or_an_assumption(scenario):
    assert len(scenario.positions) >= 40
    for p in scenario.positions:
        assert p.sources or (p.assumption and p.assumption.strip()), f"{p.actor}.{p.issue}"
        assert p.range is not None and p.range[0] <= p.position <= p.range[1], f"{p.actor}.{p.issue}"
    # The core parties are read from the articles, not assumed, on most issues.
    for actor in ("usa", "russia"):
        cited = [p for p in scenario.positions if p.actor == actor and p.sources]
        assert len(cited) >= 5, actor


def test_every_quote_occurs_verbatim_in_its_article(scenario):
    cited = _cited(scenario)
    assert len(cited) >= 20
    for p, src in cited:
        assert src.document in ARTICLES, src.document
        assert len(src.quote) >= 20, src.quote
        assert src.quote in builtin_article(src.document), f"{p.actor}.{p.issue}: {src.quote!r}"


def test_every_quote_is_a_whole_sentence_or_clause(scenario):
    # A quote starts where a sentence, list item, heading or quotation starts, and ends at a
    # sentence or clause end (its own punctuation, or the closing quotation mark after it).
    for _p, src in _cited(scenario):
        text = builtin_article(src.document)
        at = text.index(src.quote)
        before, after = text[max(0, at - 2) : at], text[at + len(src.quote) : at + len(src.quote) + 1]
        assert at == 0 or before[-1] in "\n“" or before in (". ", ": ", "- ", "? "), (src.quote, before)
        assert src.quote[-1] in ".,?!" or after in ("”", ",", ".", "?"), (src.quote, after)
        assert src.quote[0].isupper(), src.quote


def test_packaged_articles_are_byte_identical_to_shared(shared_articles):
    for name in ARTICLES:
        packaged = resources.files("backchannel.scenario.builtin").joinpath("articles", name).read_bytes()
        assert packaged == (shared_articles / name).read_bytes(), name


# -- outcome boxes --------------------------------------------------------------------------
def _point(**changes) -> dict[str, float]:
    # The status quo of the YAML (territory 50, nato 30, guarantees 70, limits 0, sanctions 0,
    # ceasefire 90, elections 0) with some issues changed.
    base = dict(
        territory=50, nato=30, security_guarantees=70, military_limits=0, sanctions=0, ceasefire=90, elections=0
    )
    return {**base, **changes}


@pytest.mark.parametrize(
    "point, expected",
    [
        (_point(), set()),  # today's terms agreed: no ceasefire is named by no deal box (no deal is its own branch)
        (_point(ceasefire=20), {"frozen_conflict"}),  # the line frozen, nothing else settled
        (_point(ceasefire=20, territory=70, security_guarantees=20), {"territorial_compromise_with_guarantees"}),
        # the line frozen with guarantees settled: Crimea and occupied Donbas ceded de facto (Scenario 2)
        (_point(ceasefire=20, security_guarantees=35), {"territorial_compromise_with_guarantees"}),
        (_point(ceasefire=20, nato=95, military_limits=85, security_guarantees=80), {"neutrality_demilitarisation"}),
        (_point(ceasefire=60), set()),  # a partial truce is named by no box
        (_point(ceasefire=20, territory=20), set()),  # Russian withdrawal toward 1991 borders is not a named box
    ],
)
def test_outcome_boxes_classify_typical_settlements(scenario, point, expected):
    assert {o.id for o in scenario.outcomes if o.branch == "deal" and o.contains(point)} == expected


@pytest.mark.parametrize(
    "territory, expected",
    [
        (50, "frozen_conflict_no_agreement"),
        (55, "frozen_conflict_no_agreement"),
        (56, "escalation_no_deal"),
        (75, "escalation_no_deal"),
    ],
)
def test_no_deal_boxes_split_on_whether_russia_gains_ground(scenario, territory, expected):
    no_deal = [o for o in scenario.outcomes if o.branch == "no_deal"]
    assert {o.id for o in no_deal} == NO_DEAL
    assert next(o.id for o in no_deal if o.contains(_point(territory=territory))) == expected  # first in file order


def test_on_the_line_of_contact_guarantees_decide_between_frozen_and_compromise(scenario):
    # territory 50-60 under a ceasefire: guarantees at every half point are named, frozen from 50 up, compromise
    # below (the boxes leave only the open gap 49.5-50)
    for tenths in range(0, 1001, 5):
        g = tenths / 10
        named = {
            o.id
            for o in scenario.outcomes
            if o.branch == "deal" and o.contains(_point(ceasefire=20, territory=55, security_guarantees=g))
        }
        assert named == ({"frozen_conflict"} if g >= 50 else {"territorial_compromise_with_guarantees"}), g


def test_outcome_boxes_are_mostly_distinct(scenario):
    # The no-deal outcomes are a branch of their own; among the deals frozen conflict overlaps neither other.
    boxes = {o.id: o.when for o in scenario.outcomes}

    def disjoint(a, b):
        return any(
            i in boxes[b] and (boxes[a][i][1] < boxes[b][i][0] or boxes[b][i][1] < boxes[a][i][0]) for i in boxes[a]
        )

    assert all(o.branch == "no_deal" for o in scenario.outcomes if o.id in NO_DEAL)
    assert all(o.branch == "deal" for o in scenario.outcomes if o.id not in NO_DEAL)
    assert disjoint("frozen_conflict", "territorial_compromise_with_guarantees")
    assert disjoint("frozen_conflict", "neutrality_demilitarisation")


# -- compromise model -----------------------------------------------------------------------
def _apply(arrays: ScenarioArrays, overrides: dict[str, float]) -> ScenarioArrays:
    """The arrays with a lever's overrides applied, in the order written (actor-wide capability too)."""
    arr = {
        "position": arrays.position.copy(),
        "salience": arrays.salience.copy(),
        "capability": arrays.capability.copy(),
    }
    for key, value in overrides.items():
        parts = key.split(".")
        a = arrays.actors.index(parts[0])
        if len(parts) == 2:
            arr["capability"][a, :] = value
        else:
            arr[parts[2]][a, arrays.issues.index(parts[1])] = value
    return arrays.replace(**arr)


def test_compromise_forecast_is_inside_the_scale_and_nato_above_50(scenario):
    result = get_model("compromise").solve(to_arrays(scenario))
    out = dict(zip(result.issues, result.outcome))
    assert set(out) == set(ISSUES)
    assert all(0 <= v <= 100 for v in out.values()), out
    # By hand from the YAML, weight = capability x salience on nato:
    #   usa 1.0*0.5=0.5 @75, russia 0.85*0.9=0.765 @95, ukraine 0.5*0.7=0.35 @15, eu 0.6*0.4=0.24 @25,
    #   uk 0.3*0.4=0.12 @20, china 0.4*0.4=0.16 @75, turkey 0.2*0.3=0.06 @40
    #   sum w = 2.195; sum w*x = 37.5+72.675+5.25+6+2.4+12+2.4 = 138.225; 138.225/2.195 = 62.9727
    assert out["nato"] == pytest.approx(62.9727, abs=1e-3)
    assert out["nato"] > 50
    # ceasefire by hand: usa .9@15, russia .68@85, ukraine .425@10, eu .42@10, uk .18@10, china .16@40,
    #   turkey .14@10; sum w = 2.905; sum w*x = 13.5+57.8+4.25+4.2+1.8+6.4+1.4 = 89.35 -> 30.757
    assert out["ceasefire"] == pytest.approx(30.757, abs=1e-3)


@pytest.mark.parametrize(
    "lever, issue, sign",
    [
        ("secondary_tariffs", "sanctions", -1),  # the US presses: less relief
        ("sanctions_relief_offer", "sanctions", +1),  # relief on the table
        ("sanctions_relief_offer", "ceasefire", -1),  # Moscow softens on sequencing
        ("us_aid_suspended", "ceasefire", +1),  # Ukraine weaker, Russia fights on
        ("us_aid_suspended", "security_guarantees", +1),  # fewer guarantees
        ("european_security_guarantee", "security_guarantees", -1),  # binding European guarantee
        ("european_security_guarantee", "nato", +1),  # Kyiv trades the NATO bid for it
    ],
)
def test_levers_move_the_compromise_forecast_the_intended_way(scenario, lever, issue, sign):
    model, arrays = get_model("compromise"), to_arrays(scenario)
    k = arrays.issues.index(issue)
    before = model.solve(arrays).outcome[k]
    after = model.solve(_apply(arrays, scenario.lever(lever).set)).outcome[k]
    assert np.sign(after - before) == sign and abs(after - before) > 1.0, (before, after)


def test_scenario_round_trips_through_native_yaml(scenario):
    assert parse_yaml(render_yaml(scenario), "roundtrip.yaml") == scenario
