"""Quotations and their speakers: exact spans on the development articles, and the rules."""

from __future__ import annotations

import pytest

from backchannel.evidence.quotes import extract_quotes, find_quote_spans

# (start, end, speaker, actor) of every quote of four or more words in 002_putin_trump_exchanges.txt.
# Spans are the words inside the marks; speakers and actors as in shared/articles/labels.json.
EXPECTED_002 = [
    (343, 476, "one Russian military strategist", "russia"),
    (793, 935, "a senior Russian official", "russia"),
    (1262, 1357, "a defense analyst in Moscow", "russia"),
    (1581, 1701, "a defense analyst in Moscow", "russia"),  # "the analyst added"
    (1882, 1990, "a military source", "russia"),
    (2017, 2058, "a military source", "russia"),  # continuation, no verb of its own
    (2189, 2300, "a senior advisor to Putin", "russia"),
    (2464, 2502, "a U.S. diplomat familiar with Trump’s thinking", "usa"),
    (2651, 2735, "a U.S. diplomat familiar with Trump’s thinking", "usa"),  # "the diplomat noted"
    (3124, 3206, "a Russian political analyst", None),
    (3245, 3313, "a Russian political analyst", None),
    (3502, 3565, "a Russian political analyst", None),
    (4002, 4163, "Dugin", None),
    (4533, 4579, "a Russian military commander", "russia"),
]


def _long(quotes):
    return [q for q in quotes if len(q["text"].split()) >= 4]


def test_dev_article_002_exact_spans_speakers_and_actors(dev_results):
    res = dev_results["002_putin_trump_exchanges.txt"]
    text = res["text"]
    got = [(q["start"], q["end"], q["speaker"], q["actor"]) for q in _long(res["quotes"])]
    assert got == EXPECTED_002
    for q in res["quotes"]:
        assert text[q["start"] : q["end"]] == q["text"]
        assert text[q["start"] - 1] == "“" and text[q["end"]] == "”"
    assert text[343:380] == "Every personal exchange between Putin"


def test_dev_article_001_expert_is_unaffiliated(dev_results):
    res = dev_results["001_miami_talks_scenarios.txt"]
    long = _long(res["quotes"])
    assert [(q["start"], q["end"], q["speaker"], q["actor"]) for q in long] == [(5547, 5735, "Dr. Anya Petrova", None)]
    # Scare quotes are kept as quotations but never attributed.
    short = [q for q in res["quotes"] if q not in long]
    assert {q["text"] for q in short} == {"frozen conflict", "Did you know?", "Expert Insight:"}
    assert all(q["speaker"] is None for q in short)


def test_dev_article_000_has_no_attributed_quote(dev_results):
    assert all(q["speaker"] is None for q in dev_results["000_us_russia_secret_talks.txt"]["quotes"])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("He said “one two three four.” Then", ["one two three four."]),
        ('He said "one two." And "three four."', ["one two.", "three four."]),
        ("She wrote ‘we need a real peace,’ adding nothing.", ["we need a real peace,"]),
        ("Ukraine’s army and Russia’s army ‘hold the line’ now.", ["hold the line"]),
        ("Zelensky's aides' view: 'no talks,' he said.", ["no talks,"]),
        ("“Cut off at the end of the paragraph\nNext paragraph.", ["Cut off at the end of the paragraph"]),
        ("No quotes at all, only the Kremlin’s view.", []),
    ],
)
def test_find_quote_spans_styles(text, expected):
    assert [text[s:e] for s, e in find_quote_spans(text)] == expected


def test_attribution_rules(analyse_text):
    text = (
        "Kremlin spokesman Dmitry Peskov spoke to reporters. “Our position has not changed,” Peskov said. "
        "“Any settlement must reflect the realities.”\n"
        "“We are ready for an immediate ceasefire,” said a senior Ukrainian official.\n"
        "Nina Khrushcheva, a professor at The New School, was blunt: “Putin got everything he came for.”\n"
        "Putin spoke after the talks. “We will not give up our goals in this war,” he said.\n"
        "“Sanctions must stay in place until the war stops,” according to a European diplomat."
    )
    quotes = [(q.text[:12], q.speaker, q.actor) for q in extract_quotes(analyse_text(text))]
    assert quotes == [
        ("Our position", "Peskov", "russia"),
        ("Any settleme", "Peskov", "russia"),  # continuation
        ("We are ready", "a senior Ukrainian official", "ukraine"),  # inverted, anonymous with affiliation
        ("Putin got ev", "Nina Khrushcheva", None),  # professor: no party
        ("We will not ", "Putin", "russia"),  # pronoun resolved
        ("Sanctions mu", "a European diplomat", "eu"),  # according to
    ]
