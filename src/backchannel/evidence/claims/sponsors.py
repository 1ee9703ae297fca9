"""Claimants a sentence names only by reference: a plan's sponsor and an unnamed office.

"The American plan, drawn up by envoy Steve Witkoff, provides for ...": the plan is the United
States'. In the sentences after it, "the plan", "the draft", "the same document", "it" (right after)
and "Under the plan, the army would remain at ..." state the sponsor's position. Likewise "a
spokesman said, the administration would ..." speaks for the party whose office spoke just before
("The State Department says ...").
"""

from __future__ import annotations

from typing import Any

from ..article import Article
from ..lexicon import STANCE_VERBS
from ..quotes import SPEECH_VERBS
from .polarity import conditional

__all__ = ["AGENCY_NOUNS", "PLAN_NOUNS", "Sponsors"]

#: Nouns for a written proposal whose content is its sponsor's position.
PLAN_NOUNS = {
    "plan",
    "draft",
    "proposal",
    "text",
    "document",
    "framework",
    "blueprint",
    "initiative",
    "memorandum",
    "roadmap",
    "counterproposal",
    "counter-proposal",
    "counter-draft",
    "counterdraft",
    "formula",
    "points",
}
#: Nouns for an office or its voice that speaks for a party without naming it.
AGENCY_NOUNS = {
    "administration",
    "ministry",
    "department",
    "government",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "treasury",
    "office",
    "cabinet",
    "presidency",
    "delegation",
    "side",
}

Token = Any  # a spaCy token


def is_plan(tok: Token) -> bool:
    """Whether a token is a plan noun ("counter-draft" included)."""
    lower = tok.lower_
    return tok.pos_ in ("NOUN", "PROPN") and (
        tok.lemma_.lower() in PLAN_NOUNS or lower in PLAN_NOUNS or lower.rsplit("-", 1)[-1] in ("draft", "proposal")
    )


def _named_plan(tok: Token) -> Token | None:
    """The plan noun an actor mention's token belongs to: "the American plan", "Washington's draft",
    "the plan drawn up by Witkoff"."""
    if tok.dep_ in ("amod", "compound", "poss", "nmod"):
        # "The European counter-draft" is often split: "European" hangs on "counter", the plan noun follows.
        for k in range(tok.head.i, min(tok.head.i + 3, len(tok.doc))):
            if is_plan(tok.doc[k]) and (k == tok.head.i or tok.doc[k - 1].text in ("-", "counter")):
                return tok.doc[k]
    if tok.dep_ == "pobj" and tok.head.lower_ == "by":
        verb = tok.head.head
        if verb.dep_ == "acl" and is_plan(verb.head):
            return verb.head
    return None


def _has_actor(art: Article, tok: Token) -> bool:
    """Whether a noun phrase names a party (in its subtree or in the few words right before it)."""
    sub = list(tok.subtree)
    lo = tok.doc[max(tok.sent.start, tok.i - 4)]
    between = tok.doc[lo.i : tok.i]
    if any(t.pos_ in ("VERB", "AUX", "PUNCT") and t.text != "-" for t in between):
        lo = tok
    return bool(art.mentions_in(min(lo.idx, sub[0].idx), sub[-1].idx + len(sub[-1])))


def _frames(art: Article, mention: Any, verb: Token) -> bool:
    """Whether a mention is a place frame of the office's own verb ("In Kyiv, the Foreign Ministry said"),
    not the end of an earlier clause ("... from the Kremlin, and the administration said")."""
    span = art.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.dep_ == "pobj" and root.head.dep_ == "prep" and root.head.head.i == verb.i


def _definite(tok: Token) -> bool:
    """ "the plan", "this draft", "the same document": a plan already named."""
    before = tok.doc[max(tok.sent.start, tok.i - 3) : tok.i]
    return any(t.lower_ in ("the", "this", "that", "same") for t in before)


class Sponsors:
    """Follows the article sentence by sentence and names the party behind a plan or office reference."""

    def __init__(self, art: Article) -> None:
        self.art = art
        self.plan: tuple[str, int, int] | None = None  # (sponsor, paragraph start, sentence index)
        self.office: tuple[str, int] | None = None  # (party, paragraph start)
        self.k = -1

    def _near(self, para: int, recorded: int) -> bool:
        """The same paragraph or the next non-blank one."""
        if para == recorded:
            return True
        prev = self.art.previous_paragraph(para)
        return prev is not None and prev[0] == recorded

    def claimants(self, sent: Token, found: list[tuple[str, Token | None]]) -> list[tuple[str, Token]]:
        """More (actor, governor) pairs for a sentence, given the claimants already found in it; also
        records the sentence's own plans and speaking offices for the sentences after it."""
        self.k += 1
        art = self.art
        para = art.paragraph(sent.start_char)[0]
        out: list[tuple[str, Token]] = []
        for tok in sent:
            if art.in_quote(tok.idx) or self.plan is None or not self._near(para, self.plan[1]):
                continue
            sponsor = self.plan[0]
            gov = None
            if tok.dep_ in ("nsubj", "nsubjpass") and is_plan(tok) and _definite(tok) and not _has_actor(art, tok):
                gov = tok.head  # "The plan also rules out NATO membership"
            elif tok.dep_ in ("nsubj", "nsubjpass") and tok.lower_ == "it" and self.plan[2] == self.k - 1:
                gov = tok.head  # "It calls for security guarantees" right after the plan
            elif (
                tok.lower_ == "under"
                and tok.dep_ == "prep"
                and any(
                    c.dep_ == "pobj" and is_plan(c) and _definite(c) and not _has_actor(art, c) for c in tok.children
                )
            ):
                gov = tok.head  # "Under the same document, Ukraine's army would remain at 600,000"
            if gov is not None and not conditional(gov) and all(g is not gov for _, g in found + out):
                out.append((sponsor, gov))
        for tok in sent:
            if (
                tok.lower_ == "under"
                and tok.dep_ == "prep"
                and not conditional(tok.head)
                and all(g is not tok.head for _, g in found + out)
            ):
                for plan in (c for c in tok.children if c.dep_ == "pobj" and is_plan(c)):
                    named = [
                        m
                        for m in art.mentions_in(plan.left_edge.idx, plan.idx + len(plan))
                        if _named_plan(art.doc.char_span(m.start, m.end, alignment_mode="expand").root)
                    ]
                    if named:
                        out.append((named[0].actor, tok.head))  # "Under the American plan, the army would ..."
        for tok in sent:
            if (
                tok.dep_ in ("nsubj", "nsubjpass")
                and tok.lemma_.lower() in AGENCY_NOUNS
                and not art.in_quote(tok.idx)
                and not _has_actor(art, tok)
                and any(c.dep_ == "det" for c in tok.children)
                and not conditional(tok.head)
                and all(g is not tok.head for _, g in found + out)
            ):
                # "In Kyiv, the Foreign Ministry said": the party named just before; else the party whose
                # office spoke just before ("the administration would move ahead with ...").
                near = [
                    m
                    for m in art.mentions_in(tok.doc[max(sent.start, tok.i - 6)].idx, tok.idx, outside_quotes=True)
                    if _frames(art, m, tok.head)
                ]
                if near:
                    out.append((near[-1].actor, tok.head))
                elif self.office is not None and self._near(para, self.office[1]):
                    out.append((self.office[0], tok.head))
        for m in art.mentions_in(sent.start_char, sent.end_char, outside_quotes=True):
            span = art.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            if _named_plan(span.root) is not None:
                self.plan = (m.actor, para, self.k)
            root = span.root
            if root.dep_ in ("compound", "amod") and root.head.lemma_.lower() in AGENCY_NOUNS:
                root = root.head
            if (
                root.dep_ in ("nsubj", "nsubjpass")
                and root.head.dep_ == "ROOT"
                and root.head.lemma_.lower() in (SPEECH_VERBS | STANCE_VERBS)
            ):
                self.office = (m.actor, para)  # "The State Department says ..."
        if (
            any(is_plan(t) and t.dep_ in ("nsubj", "nsubjpass") for t in sent)
            and self.plan is not None
            and self._near(para, self.plan[1])
        ):
            self.plan = (self.plan[0], para, self.k)  # the plan is still the topic
        return out
