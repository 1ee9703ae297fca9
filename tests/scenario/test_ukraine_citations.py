"""ukraine-2025's citations say what the position claims at the scenario's date (December 2025): no question,
no sentence about a meeting's venue, nothing written before Trump took office (issue 16's re-check)."""

from __future__ import annotations

import pytest

from backchannel.app.files import builtin_article, load_scenario

# Sentences that mark a text as written before 2025 (Trump out of office), or that are about a venue.
STALE = (
    "former President",
    "former president",
    "If Trump secures the presidency",
    "Biden administration",
    "return to power",
)


@pytest.fixture(scope="module")
def cited():
    s = load_scenario("ukraine-2025")
    return [(p, src) for p in s.positions for src in p.sources]


# A list item is read with the line that introduces its list. One exception, with its reason: usa.nato cites
# an item of article 000's pre-election list whose own words state a stance Trump "has long" held, which was
# still his in December 2025 (the YAML says so beside it).
KEPT_FROM_A_PRE_ELECTION_LIST = {("usa", "nato")}


def _context(document: str, quote: str) -> str:
    """The cited line, and for a list item ("- …") the line that introduces the list."""
    lines = builtin_article(document).split("\n")
    k = next(i for i, line in enumerate(lines) if quote in line)
    if lines[k].startswith("- "):
        lead = k
        while lead > 0 and lines[lead].startswith("- "):
            lead -= 1
        return lines[lead] + "\n" + lines[k]
    return lines[k]


def test_no_citation_is_a_question_or_about_a_venue(cited):
    for p, src in cited:
        assert not src.quote.rstrip("”,").endswith("?"), f"{p.actor}.{p.issue}: a question is not a position"
        assert "Miami" not in src.quote and "meeting points" not in src.quote, f"{p.actor}.{p.issue}"


def test_no_citation_comes_from_a_paragraph_written_before_trump_took_office(cited):
    checked = 0
    for p, src in cited:
        context = _context(src.document, src.quote)
        if (p.actor, p.issue) in KEPT_FROM_A_PRE_ELECTION_LIST:
            assert "has long" in src.quote
            continue
        assert not any(mark in context for mark in STALE), (p.actor, p.issue, src.quote)
        checked += 1
    assert checked >= 19


def test_positions_no_article_supports_are_assumptions_with_their_reason():
    s = load_scenario("ukraine-2025")
    for actor, issue in (
        ("usa", "territory"),
        ("usa", "military_limits"),
        ("ukraine", "security_guarantees"),
        ("turkey", "ceasefire"),
    ):
        p = s.position(actor, issue)
        assert not p.sources and p.assumption and "2025" in p.assumption, (actor, issue)
