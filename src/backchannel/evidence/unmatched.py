"""Names near a claim that match no actor: what a user may want to add as aliases.

A claim the rules found rests on a sentence; the capitalised names in it that the gazetteer does not
know (an office, a spokesperson, a ministry: "the Treasury", "Bessent", "the Foreign Ministry") are
the likeliest reasons a claim went to the wrong party or to none. ``ingest`` lists them.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..scenario.schema import Scenario
from .article import Article
from .lexicon import lexicon_for

__all__ = ["issue_sentences", "unmatched_names"]

#: Entity labels of spaCy's English model that can name a party or someone speaking for one.
_LABELS = {"PERSON", "ORG", "NORP", "GPE", "FAC"}
#: Capitalised words that are not names of anyone.
_NOT_NAMES = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "western",
    "eastern",
    "allied",
    "allies",
    "the west",
}


def issue_sentences(art: Article, scenario: Scenario, claims: list[Any]) -> list[tuple[int, int]]:
    """Spans of the sentences that hold a claim or name one of the scenario's issues."""
    spans = {(c.start, c.end) for c in claims}
    lexicons = [lexicon_for(i) for i in scenario.issues]
    for sent in art.doc.sents:
        if any(lex.keywords.search(sent.text) for lex in lexicons):
            spans.add((sent.start_char, sent.end_char))
    return sorted(spans)


def unmatched_names(art: Article, spans: list[tuple[int, int]], limit: int = 10) -> list[dict[str, Any]]:
    """Named entities in the given sentence spans that overlap no actor mention, most frequent first:
    ``[{"name", "count"}]``."""
    known = [(m.start, m.end) for m in art.mentions]
    forms = {f.lower() for f in art.gazetteer.forms}  # "WASHINGTON" in a dateline is Washington
    counts: Counter[str] = Counter()
    seen: set[int] = set()
    for s0, s1 in spans:
        span = art.doc.char_span(s0, s1, alignment_mode="expand")
        for ent in span.ents if span is not None else ():
            if ent.label_ not in _LABELS or ent.start_char in seen:
                continue
            seen.add(ent.start_char)
            if any(a < ent.end_char and ent.start_char < b for a, b in known):
                continue
            name = re.sub(r"['’]s$", "", ent.text.strip().removeprefix("the ").removeprefix("The "))
            if not name[:1].isupper() or name.lower() in _NOT_NAMES or name.lower() in forms:
                continue
            counts[name] += 1
    return [{"name": n, "count": c} for n, c in counts.most_common(limit)]
