"""Deadlines and speakers in styles the other sets lack (issue 13, second round of rules).

Articles in ``data/styles/`` were written for these tests: a briefing transcript with ``NAME:``
turns (N), a readout and an evening address with a trailer line (O), a bank research note (P).
Each expected value was read off the article by hand; the dates are counted from the article's own
date (N 2026-04-08, a Wednesday; O 2026-05-14, a Thursday; P 2026-06-03, a Wednesday).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

STYLES = Path(__file__).resolve().parent / "data" / "styles"


@pytest.fixture(scope="module")
def flagship():
    pytest.importorskip("spacy")
    from backchannel.app.files import load_scenario
    from backchannel.evidence.extract import Extractor

    return Extractor(load_scenario("ukraine-2025"))


def _read(ex, name: str) -> dict:
    from backchannel.evidence.documents import read_document

    return ex.extract(read_document(STYLES / name))


def _quote(rec: dict, first_words: str) -> dict:
    return next(q for q in rec["quotes"] if q["text"].startswith(first_words))


def _deadline(rec: dict, words: str) -> dict | None:
    at = rec["text"].find(words)
    assert at >= 0, words
    return next((d for d in rec["deadlines"] if d["start"] < at + len(words) and d["end"] > at), None)


# --- deadlines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words", "due"),
    [
        ("N_briefing_transcript.txt", "by Friday", "2026-04-10"),  # weekday after the article's Wednesday
        ("O_readout_address.md", "no later than May 20", "2026-05-20"),  # a date without a year
        ("O_readout_address.md", "by the end of the month", "2026-05-31"),
        ("P_bank_note_deadlines.html", "in 30 days", "2026-07-03"),  # "in N days" inside an "unless" demand
        ("P_bank_note_deadlines.html", "before the end of the year", "2026-12-31"),  # an act still to come
        ("P_bank_note_deadlines.html", "by September 15", "2026-09-15"),
        ("P_bank_note_deadlines.html", "July 1", "2026-07-01"),  # "set July 1 as the date to ..."
    ],
)
def test_deadlines_resolved_against_the_article_date(flagship, name, words, due):
    rec = _read(flagship, name)
    hit = _deadline(rec, words)
    assert hit is not None, f"{words!r} not found in {name}"
    assert hit["due"] == due
    assert hit["days"] == (dt.date.fromisoformat(due) - dt.date.fromisoformat(rec["published"])).days


def test_durations_and_past_dates_are_not_deadlines(flagship):
    rec = _read(flagship, "P_bank_note_deadlines.html")
    assert _deadline(rec, "lasted two weeks") is None  # a duration
    assert _deadline(rec, "ended on Friday") is None  # a past meeting date


def test_expired_deadline_dates_back_not_forward(flagship):
    from backchannel.evidence.documents import parse_document

    # 2025-12-22 is a Monday: "expired on Monday" is that day, not the Monday after.
    text = "DATE: 2025-12-22\n\nA U.S. deadline for Russia to accept the framework expired on Monday without a reply."
    rec = flagship.extract(parse_document(text, "snippet.txt", "text"))
    assert [(d["due"], d["days"]) for d in rec["deadlines"]] == [("2025-12-22", 0)]


def test_date_line_at_the_top_of_markdown_is_the_publication_date():
    from backchannel.evidence.documents import parse_document

    assert parse_document("_14 May 2026_\n\n# Title\n\nText.", "a.md", "markdown").published == "2026-05-14"
    assert parse_document("**Published:** 2025-08-15 09:05\n\nText.", "b.md", "markdown").published == "2025-08-15"
    assert parse_document("# Title\n\nNo date here at all.", "c.md", "markdown").published is None


# --- speakers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first_words", "actor"),
    [
        # "As the Secretary told him" after "Secretary of State Marco Rubio": the title's holder
        ("N_briefing_transcript.txt", "the offer on the table", "usa"),
        # "Peskov: ..." after a sentence: a name and a colon lead in the quote
        ("N_briefing_transcript.txt", "We are studying the text", "russia"),
        # "As the President emphasised" after "The President of the Russian Federation"
        ("O_readout_address.md", "a settlement is possible", "russia"),
        # a quotation alone in its paragraph with a trailer line
        ("O_readout_address.md", "We will not give up land", "ukraine"),
        # "the official" refers back to "a senior administration official" in a paragraph framed "In Washington,"
        ("O_readout_address.md", "The President is not going", "usa"),
        # a German chancellor speaks for no party of this scenario, not for the Trump his description names
        ("O_readout_address.md", "Sanctions stay until", None),
        # someone who leads a programme at a research institute speaks for no party
        ("P_bank_note_deadlines.html", "Markets are pricing", None),
    ],
)
def test_speaker_actor(flagship, name, first_words, actor):
    assert _quote(_read(flagship, name), first_words)["actor"] == actor


def test_name_colon_speaker_is_the_name_only(flagship):
    q = _quote(_read(flagship, "N_briefing_transcript.txt"), "We are studying the text")
    assert q["speaker"] == "Peskov"


def test_denied_act_under_going_to_turns_the_cue(flagship):
    from backchannel.evidence.documents import parse_document

    # "not" sits on "going", the withdrawal under it is denied: Ukraine keeps the land (low on territory).
    text = 'DATE: 2026-05-14\n\nFrom Kyiv: "We are not going to withdraw from Donetsk. It is our land."'
    rec = flagship.extract(parse_document(text, "snippet.txt", "text"))
    claims = [c for c in rec["claims"] if c["actor"] == "ukraine" and c["issue"] == "territory"]
    assert claims and all(c["position"] is not None and c["position"] < 50 for c in claims)


# --- first-person voices outside quotation marks -----------------------------------------------


def test_transcript_turn_speaks_for_the_party_that_introduces_the_speaker(flagship):
    # "MS WHITFIELD: ... there is no relief for Moscow without a ceasefire" after the line
    # "Spokesperson Dana Whitfield, State Department": the United States against lifting sanctions.
    rec = _read(flagship, "N_briefing_transcript.txt")
    claims = [c for c in rec["claims"] if c["actor"] == "usa" and c["issue"] == "sanctions"]
    assert claims and all(c["position"] is not None and c["position"] < 30 for c in claims)


def test_statement_author_owns_its_we(flagship):
    from backchannel.evidence.documents import parse_document

    text = (
        "DATE: 2026-05-14\n\nStatement by the Russian Foreign Ministry on the American proposals\n\n"
        "We categorically reject the deployment of any Western troops on Ukrainian soil as part of security guarantees.\n"
    )
    rec = flagship.extract(parse_document(text, "snippet.txt", "text"))
    claims = [c for c in rec["claims"] if c["actor"] == "russia" and c["issue"] == "security_guarantees"]
    assert claims and all(c["position"] is not None and c["position"] > 50 for c in claims)
    # A question turn speaks for no one.
    text = "DATE: 2026-05-14\n\nQUESTION: Will you lift sanctions on Russia?\n\nLAVROV: We demand that sanctions be lifted.\n"
    rec = flagship.extract(parse_document(text, "snippet.txt", "text"))
    assert {(c["actor"], c["issue"]) for c in rec["claims"]} == {("russia", "sanctions")}


@pytest.mark.parametrize(
    "sentence",
    [
        "Russian officials insisted that a ceasefire remained out of the question.",
        "The Kremlin said an immediate ceasefire was off the table for now.",
        "The Kremlin said a ceasefire was not on the agenda.",  # the issue named bare, no cue
    ],
)
def test_idiom_that_rules_out_its_subject_turns_the_cue(flagship, sentence):
    from backchannel.evidence.documents import parse_document

    # ceasefire 0 = immediate, 100 = none until a settlement: ruling a ceasefire out is high.
    rec = flagship.extract(parse_document("DATE: 2026-05-14\n\n" + sentence, "snippet.txt", "text"))
    claims = [c for c in rec["claims"] if c["actor"] == "russia" and c["issue"] == "ceasefire"]
    assert claims and all(c["position"] is not None and c["position"] > 50 for c in claims)


def test_it_carries_the_subject_of_the_sentence_before(flagship):
    from backchannel.evidence.documents import parse_document

    # military_limits 100 = strict demilitarisation: refusing a low cap is low.
    text = (
        "DATE: 2026-05-14\n\nKyiv will not recognise any occupied territory as Russian. "
        "It will not accept a cap on its armed forces below 800,000.\n\n"
        "The plan was discussed at length. It will not accept a cap on its armed forces below 800,000.\n"
    )
    rec = flagship.extract(parse_document(text, "snippet.txt", "text"))
    limits = [c for c in rec["claims"] if c["issue"] == "military_limits"]
    assert [(c["actor"], c["start"] < text.index("The plan") - len("DATE: 2026-05-14\n\n")) for c in limits] == [
        ("ukraine", True)
    ]  # the second "It" follows a sentence whose subject is no party
    assert limits[0]["position"] is not None and limits[0]["position"] < 50
