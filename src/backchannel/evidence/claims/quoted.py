"""Claims in quotations: the quoted words are the clause, the speaker's party the claimant."""

from __future__ import annotations

from ..article import Article
from ..lexicon import STANCE_VERBS, IssueLexicon
from ..quotes import Quote
from .polarity import REPORTING, bare_position, cue_position, join_clause
from .record import Claim


def quoted_subject(art: Article, part: list[int], speaker: str, previous: str) -> str:
    """Whose position a quoted sentence states: a party it names as subject, "he"/"she" for the party
    the quote talked about before, else the speaker's own."""
    doc = art.doc
    idx = set(part)
    for i in part:
        tok = doc[i]
        if tok.dep_ not in ("nsubj", "nsubjpass") or tok.head.i not in idx or tok.head.dep_ not in ("ROOT", "ccomp"):
            continue
        if tok.ent_type_ == "ACTOR" and tok.ent_id_:
            return tok.ent_id_
        if tok.lower_ in ("he", "she") and previous:
            return previous
        if tok.lower_ in ("i", "we"):
            return speaker
    return speaker


def quote_claims(art: Article, quotes: list[Quote], lexicons: list[IssueLexicon]) -> list[Claim]:
    """A party's spokesperson saying it: the quoted words are the clause, the speaker's actor the claimant."""
    out = []
    prev: Quote | None = None
    about = None
    for q in quotes:
        if not q.actor:
            continue
        s0 = max(art.text.rfind("\n", 0, q.start) + 1, 0)
        sent = art.doc.char_span(q.start, q.end, alignment_mode="expand")
        if sent is not None:
            s0 = min(sent[0].sent.start_char, q.start)
            s1 = max(sent[-1].sent.end_char, q.end)
        else:
            s1 = q.end
        s1 = s0 + len(art.text[s0:s1].rstrip())
        toks = [t.i for t in art.span_tokens(q.start, q.end) if q.start <= t.idx < q.end]
        # Sentence by sentence: "Putin wants to drag this out. He is not ready..." is about Putin.
        by_sent: dict[int, list[int]] = {}
        for i in toks:
            by_sent.setdefault(art.doc[i].sent.start, []).append(i)
        if prev is None or (prev.speaker, prev.actor) != (q.speaker, q.actor):
            about = q.actor  # a continuation of the same speaker keeps talking about the same party
        prev = q
        for part in by_sent.values():
            about = quoted_subject(art, part, q.actor, about)
            text, owner = join_clause(art.doc, part)
            for lex in lexicons:
                if not lex.keywords.search(text):
                    continue
                pos = cue_position(lex, text, art.doc, owner, None)
                if pos is None:
                    root = next((art.doc[i] for i in part if art.doc[i].dep_ == "ROOT"), None)
                    if root is not None and root.lemma_.lower() in STANCE_VERBS - REPORTING:
                        pos = bare_position(lex, art.doc, part, root)  # "We need security guarantees"
                out.append(Claim(about, lex.issue, pos, 0.8 if pos is not None else 0.5, art.text[s0:s1], s0, s1))
    return out
