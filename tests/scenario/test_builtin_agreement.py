"""ukraine-2025's agreement sections: veto players, outside options, deadlines and horizon, each cited or assumed."""

from __future__ import annotations

import pytest

from backchannel.app.files import builtin_article, load_scenario


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("ukraine-2025")


def _sources(s):
    return [
        *(s.consent.sources if s.consent else ()),
        *(src for o in s.outside_options for src in o.sources),
        *(src for d in s.deadlines for src in d.sources),
    ]


def test_the_warring_parties_and_the_broker_hold_vetoes(scenario):
    assert scenario.consent is not None and set(scenario.consent.veto) == {"usa", "russia", "ukraine"}
    assert {o.actor for o in scenario.outside_options} >= {"usa", "russia", "ukraine"}


def test_every_agreement_quote_occurs_verbatim_in_its_article(scenario):
    sources = _sources(scenario)
    assert len(sources) >= 5
    for src in sources:
        assert src.quote in builtin_article(src.document), src.quote


def test_numbers_without_a_source_sentence_say_they_are_assumed(scenario):
    # the deadline is not in the articles (they are undated): it must say so
    for d in scenario.deadlines:
        assert d.sources or (d.assumption and "guess" in d.assumption)
    assert scenario.horizon is not None and scenario.as_of < scenario.horizon
    fired = {d.fires for d in scenario.deadlines}
    assert fired <= {lv.id for lv in scenario.levers}
    # secondary tariffs lower Russia's outside option: its cost of no deal rises
    tariffs = scenario.lever("secondary_tariffs").set
    russia = next(o for o in scenario.outside_options if o.actor == "russia")
    assert tariffs["russia.cost_per_month"] > russia.cost_per_month
