"""Claims: (actor, issue) pairs and the side of 50 they fall on."""

from __future__ import annotations

import pytest

from backchannel.evidence.claims import extract_claims
from backchannel.evidence.quotes import extract_quotes


def _pairs(result) -> dict[tuple[str, str], list[tuple[float, float]]]:
    out: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for c in result["claims"]:
        out.setdefault((c["actor"], c["issue"]), [])
        if c["position"] is not None:
            out[(c["actor"], c["issue"])].append((c["position"], c["confidence"]))
    return out


def test_dev_claim_pairs_and_directions(dev_labels, dev_results):
    # Every labelled (actor, issue) pair of shared/articles/labels.json is found, each with an
    # estimate on the labelled side of 50 (40..60 for a label of exactly 50).
    for item in dev_labels:
        pairs = _pairs(dev_results[item["file"]])
        for gold in item["claims"]:
            key = (gold["actor"], gold["issue"])
            assert key in pairs, (item["file"], key)
            # Aggregated as `suggest` and the benchmark do: the confidence-weighted mean.
            est = sum(p * w for p, w in pairs[key]) / sum(w for _, w in pairs[key])
            if gold["position"] == 50:
                assert 40 <= est <= 60, (item["file"], key, est)
            else:
                assert (est > 50) == (gold["position"] > 50), (item["file"], key, est)


def test_claim_records_point_at_their_sentence(dev_results):
    for res in dev_results.values():
        for c in res["claims"]:
            assert res["text"][c["start"] : c["end"]] == c["text"]
            assert 0.0 < c["confidence"] <= 1.0
            assert c["position"] is None or 0 <= c["position"] <= 100


@pytest.mark.parametrize(
    "sentence, actor, issue, side",
    [
        ("Moscow rejects any ceasefire that would let Ukraine rearm.", "russia", "ceasefire", "high"),
        ("Kyiv is pushing for an immediate and unconditional ceasefire.", "ukraine", "ceasefire", "low"),
        ("Russia insists that Ukraine withdraw its troops from the Donetsk region.", "russia", "territory", "high"),
        (
            "Secretary of State Marco Rubio said the United States would not lift sanctions on Russia.",
            "usa",
            "sanctions",
            "low",
        ),
        (
            "The Kremlin's demands are clear: Ukraine must declare neutrality and hold new elections.",
            "russia",
            "nato",
            "high",
        ),
        (
            "The Kremlin's demands are clear: Ukraine must declare neutrality and hold new elections.",
            "russia",
            "elections",
            "high",
        ),
        (
            "Zelensky wants binding security guarantees, including European troops on the ground.",
            "ukraine",
            "security_guarantees",
            "low",
        ),
        (
            "Russia rejects the deployment of any NATO-country troops in Ukraine.",
            "russia",
            "security_guarantees",
            "high",
        ),
        ("Ukraine will never cede the land its soldiers have defended.", "ukraine", "territory", "low"),
        ("Trump dropped his demand for an immediate ceasefire.", "usa", "ceasefire", "high"),
        # General rules added with the third held-out set (tests/evidence/data/unseen), on sentences of
        # our own, not from those articles: "rule out" turns what it governs; a negation inside an
        # "if" clause is a condition, not a stance; a pronoun starting a statement is the person named
        # before; predicative cues ("guarantees must be binding", "an election is needed"); packages
        # of sanctions; readiness for a ceasefire; backing another party's proposal.
        ("Trump has ruled out NATO membership for Ukraine.", "usa", "nato", "high"),
        (
            "The White House said it would impose tariffs if Russia did not agree to a full ceasefire.",
            "usa",
            "ceasefire",
            "low",
        ),
        (
            "Dmitry Peskov spoke to reporters on Tuesday. He rejected any ceasefire that would let Kyiv rearm.",
            "russia",
            "ceasefire",
            "high",
        ),
        (
            "Zelensky said security guarantees must be binding and backed by allies.",
            "ukraine",
            "security_guarantees",
            "low",
        ),
        (
            "The Kremlin says a presidential election in Ukraine is needed before any treaty is signed.",
            "russia",
            "elections",
            "high",
        ),
        ("The European Union adopted its latest package of sanctions against Moscow.", "eu", "sanctions", "low"),
        ("Kyiv says it is ready for a ceasefire along the present positions.", "ukraine", "ceasefire", "low"),
        ("Britain backed Kyiv's proposal to restore the 1991 borders.", "uk", "territory", "low"),
    ],
)
def test_stance_rules(analyse_text, scenario, sentence, actor, issue, side):
    art = analyse_text(sentence)
    claims = extract_claims(art, scenario, extract_quotes(art))
    found = [c for c in claims if (c.actor, c.issue) == (actor, issue) and c.position is not None]
    assert found, [(c.actor, c.issue, c.position) for c in claims]
    assert all((c.position > 50) == (side == "high") for c in found)


def test_demanded_party_is_not_a_claimant(analyse_text, scenario):
    art = analyse_text("Russia insists that Ukraine withdraw its troops from the Donetsk region.")
    assert {c.actor for c in extract_claims(art, scenario, [])} == {"russia"}
