"""Who holds a view in a sentence: subjects, possessors of stance nouns, agents, frames, groups of a
party, pronouns and the party a bulleted list belongs to; and whose clause is only another's demand."""

from __future__ import annotations

import re

from ..article import Article
from ..lexicon import STANCE_NOUNS, STANCE_VERBS
from ..quotes import Quote
from .sponsors import is_plan

_BULLET = re.compile(r"^\s*(?:[-•*–]|\d+[.)])\s+")
_HYPOTHETICAL = re.compile(r"\b(scenarios?|possible|potential|options?|could|might|if)\b", re.IGNORECASE)


#: Nouns for the people of a party: "Russian officials insist", "many in the Russian leadership, who ...".
GROUP_NOUNS = {
    "official",
    "leader",
    "leadership",
    "government",
    "side",
    "negotiator",
    "delegation",
    "diplomat",
    "many",
    "hawk",
    "elite",
    "establishment",
    "camp",
    "administration",
    "military",
    "command",
    "authority",
    "minister",
    "ministry",
    "spokesperson",
    "spokesman",
    "president",
    "team",
    "envoy",
    "lawmaker",
    "parliament",
    "source",
    "adviser",
    "advisor",
    "aide",
    "commander",
    "general",
    "ally",
    "partner",
    "capital",
    "counterpart",
}


def group_governor(noun):
    """The verb a group of a party's people governs, as subject or through "who"."""
    for child in noun.children:
        if child.dep_ == "relcl" and any(
            c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("who", "that") for c in child.children
        ):
            return child
    if noun.dep_ in ("nsubj", "nsubjpass"):
        return noun.head
    return None


def claimant_verb(tok):
    """(governing token, how) when an actor mention token makes its actor a holder of a view."""
    seen = 0
    while tok.dep_ in ("conj", "appos", "compound", "amod", "nmod") and seen < 4:
        if tok.dep_ in ("compound", "amod", "nmod") and tok.head.dep_ not in ("nsubj", "nsubjpass", "poss", "conj"):
            if tok.head.lemma_.lower() in GROUP_NOUNS:
                gov = group_governor(tok.head)
                if gov is not None:
                    return gov, "group"
            if (
                tok.head.dep_ == "pobj"
                and tok.head.head.lower_ in ("in", "of")
                and tok.head.head.head.lemma_.lower() in GROUP_NOUNS
            ):
                gov = group_governor(tok.head.head.head)
                if gov is not None:
                    return gov, "group"
            break
        tok = tok.head
        seen += 1
    if tok.dep_ in ("nsubj", "nsubjpass", "csubj"):
        if any(c.dep_ == "mark" and c.lower_ == "for" for c in tok.head.children):
            return None, None  # "a deadline for Russia to agree": what someone else wants Russia to do
        return tok.head, "subject"
    if tok.dep_ == "poss":
        noun = tok.head
        if noun.lemma_.lower() in STANCE_NOUNS:
            return stance_scope(noun), "possessor"
        if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.lemma_.lower() in STANCE_VERBS:
            return noun.head, "subject"
    if tok.dep_ == "pobj" and tok.head.lower_ == "by" and tok.head.dep_ == "agent":
        verb = tok.head.head
        if verb.dep_ == "acl":
            # "calls for elections, pushed by Russia"; "the European text, drafted by Britain, proposes ...":
            # the claim is what the described noun says or does.
            noun = verb.head
            return (noun.head if noun.dep_ in ("nsubj", "nsubjpass") else noun), "agent"
        return verb, "agent"
    if (
        tok.dep_ == "pobj"
        and tok.head.lower_ in ("for", "from")
        and tok.head.dep_ == "prep"
        and tok.head.i < tok.head.head.i
        and tok.head.i <= tok.sent.start + 2
    ):
        return tok.head.head, "frame"
    if tok.dep_ == "pobj" and tok.head.lower_ == "from" and tok.head.head.lemma_.lower() in STANCE_NOUNS:
        return tok.head.head.head, "frame"
    if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "of") and tok.head.head.lemma_.lower() in GROUP_NOUNS:
        gov = group_governor(tok.head.head)
        if gov is not None:
            return gov, "group"
    return None, None


#: Verbs that only say what a stance noun holds: "Moscow's demands include A, B and C", "its aim remains".
CONTENT_VERBS = {
    "include",
    "be",
    "remain",
    "cover",
    "involve",
    "comprise",
    "consist",
    "encompass",
    "range",
    "centre",
    "center",
    "entail",
    "feature",
    "contain",
}


def stance_scope(noun):
    """The token whose subtree holds what a stance noun says: the noun, or the verb it is the subject of
    when that verb only lists the content ("Moscow's demands include the withdrawal of ..., a pledge
    never to join NATO and the lifting of sanctions")."""
    verb = noun.head
    if (
        noun.dep_ in ("nsubj", "nsubjpass")
        and verb.lemma_.lower() in CONTENT_VERBS
        and any(c.dep_ in ("dobj", "attr", "ccomp", "xcomp") and c.pos_ != "ADJ" for c in verb.children)
    ):
        return verb  # not "the Kremlin's demands are clear: ...", whose content follows the colon
    return noun


def _stance_token(tok) -> bool:
    """A stance or speech verb, a stance noun, or a verb that lists a stance noun's content."""
    from ..quotes import SPEECH_VERBS

    lemma = tok.lemma_.lower()
    if lemma in STANCE_VERBS or lemma in SPEECH_VERBS or lemma in STANCE_NOUNS:
        return True
    if any(c.dep_ in ("nsubj", "nsubjpass") and is_plan(c) for c in tok.children):
        return True  # "the draft would let Ukraine keep an army of 800,000": the draft's content
    return lemma in CONTENT_VERBS and any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in STANCE_NOUNS for c in tok.children
    )


#: Dependencies through which a clause is part of what a listing verb's object says:
#: "a promise that Ukraine will never join NATO" inside "Moscow's demands include ...".
_CONTENT_DEPS = ("ccomp", "xcomp", "acl", "conj", "relcl", "appos", "dobj", "pobj", "prep", "attr")


def reported(gov, others: list[tuple[str, object]], actor: str) -> bool:
    """Whether a claimant's clause is only the content of another party's demand or statement.

    "Russia insists that Ukraine withdraw": Ukraine withdrawing is Russia's demand, not Ukraine's view.
    The clause must hang below the other party's stance or speech verb (or stance noun) through
    complements, not through an adverbial "while ..." clause or a coordination.
    """
    for other_actor, other in others:
        if other is None or other_actor == actor or other.i == gov.i:
            continue
        if not _stance_token(other):
            continue
        listing = other.lemma_.lower() in CONTENT_VERBS
        tok, ok = gov, True
        for _ in range(10):
            if tok.i == other.i:
                break
            # Only complements carry a demand's content; a relative or adverbial clause is a view of its own.
            # (a "that" clause under a demand noun is often parsed as a relative clause)
            allowed = (
                ("ccomp", "xcomp", "acl", "conj", "relcl")
                if tok.head.i == other.i and other.lemma_.lower() in STANCE_NOUNS
                else ("ccomp", "xcomp", "acl", "conj")
            )
            if listing and gov.pos_ in ("VERB", "AUX"):
                allowed = _CONTENT_DEPS
            if tok.dep_ not in allowed or (tok.dep_ == "conj" and tok.head.i == other.i):
                ok = False
                break
            if tok.head.i == tok.i:
                ok = False
                break
            tok = tok.head
        else:
            ok = False
        if ok and tok.i == other.i:
            return True
    return False


def pronoun_owner(art: Article, tok) -> str | None:
    """The party "its"/"their" stands for: the actor subject of the nearest verb above it, else the last one named."""
    for anc in tok.ancestors:
        if anc.pos_ in ("VERB", "AUX"):
            for child in anc.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.ent_type_ == "ACTOR" and child.ent_id_:
                    return child.ent_id_
    before = art.mentions_in(tok.sent.start_char, tok.idx, outside_quotes=True)
    return before[-1].actor if before else None


def reported_by_named(tok) -> bool:
    """Whether a verb above the pronoun has a named subject ("Trump said he ...")."""
    for anc in list(tok.head.ancestors)[:4]:
        if any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PROPN" for c in anc.children):
            return True
    return False


def person_before(art: Article, quotes: list[Quote], pos: int) -> str | None:
    """The party of the person "he"/"she" at pos stands for: the last one named (a known person) or quoted
    in this or the previous paragraph; None when that is an unaffiliated speaker."""
    prev = art.previous_paragraph(pos)
    lo = prev[0] if prev else 0
    best: tuple[int, str | None] | None = None
    for m in art.mentions_in(lo, pos, outside_quotes=True):
        if m.text in art.gazetteer.persons:
            best = (m.start, m.actor)
    for q in quotes:
        if lo <= q.start and q.end <= pos and q.speaker and (best is None or q.end > best[0]):
            best = (q.end, q.actor)
    return best[1] if best else None


def colon_owner(sent, claimants) -> tuple[str, int] | None:
    """(actor, index after the colon) when a claimant's stance noun introduces a list: "its demands: ..."."""
    for tok in sent:
        if tok.text == ":" and tok.i > sent.start:
            prev = tok.doc[tok.i - 1]
            for actor, gov in claimants:
                if (
                    gov is not None
                    and gov.i < tok.i
                    and gov.lemma_.lower() in STANCE_NOUNS
                    and (
                        gov.i == prev.i
                        or prev.head.i == gov.i
                        or gov.i in {t.i for t in prev.ancestors}
                        or gov.head.i in {prev.i, prev.head.i}
                    )
                ):  # "the Kremlin's demands are clear: ..."
                    return actor, tok.i + 1
    return None


class Frames:
    """Which actor a bulleted line belongs to: the party named in the line that introduces the list."""

    def __init__(self, art: Article) -> None:
        self.art = art
        self.by_line: dict[int, str] = {}
        lines = []
        pos = 0
        for line in art.text.split("\n"):
            lines.append((pos, pos + len(line), line))
            pos += len(line) + 1
        frame = None
        hypothetical = False
        self.hypothetical: set[int] = set()
        for k, (s, e, line) in enumerate(lines):
            if _BULLET.match(line):
                if frame:
                    self.by_line[s] = frame
                if hypothetical or _HYPOTHETICAL.match(_BULLET.sub("", line)):
                    self.hypothetical.add(s)
                continue
            frame = None
            hypothetical = False
            if line.rstrip().endswith(":"):
                frame = self._owner(s, e, lines[max(0, k - 2) : k])
                hypothetical = bool(_HYPOTHETICAL.search(line))

    def _owner(self, s: int, e: int, before) -> str | None:
        for m in self.art.mentions_in(s, e):
            tok = self.art.doc.char_span(m.start, m.end, alignment_mode="expand")
            if tok is not None and claimant_verb(tok.root)[0] is not None:
                return m.actor
        head = self.art.doc.char_span(s, e, alignment_mode="expand")
        if head is not None and any(t.lower_ in ("his", "her", "its", "their") for t in head):
            # "His approach will likely involve:" refers to the party of the heading above.
            for bs, be, _ in reversed(before):
                owner = self.art.main_actor(bs, be)
                if owner:
                    return owner
        return None

    def hedged(self, pos: int) -> bool:
        """Whether the list holding pos lays out possibilities rather than positions."""
        return self.art.text.rfind("\n", 0, pos) + 1 in self.hypothetical

    def actor(self, pos: int) -> str | None:
        """The frame actor of the bulleted line holding pos, if any."""
        return self.by_line.get(self.art.text.rfind("\n", 0, pos) + 1)


#: A transcript turn: "MS WHITFIELD: ...", "LAVROV: ...", "QUESTION: ..." at the start of a paragraph.
_TURN = re.compile(r"^[ \t]*(?:\*\*)?((?:M[RS]S?\.? |DR\.? )?[A-Z][A-Z.’'-]+(?: [A-Z][A-Z.’'-]+){0,2})(?:\*\*)?:[ \t]")
#: Labels of people who ask, not answer.
_ASKERS = {"QUESTION", "Q", "HOST", "INTERVIEWER", "REPORTER", "MODERATOR", "ANCHOR", "PRESENTER", "JOURNALIST"}
#: A statement, address or readout in a party's own voice, named in the first lines.
_VOICE = re.compile(
    r"\b(?:address|statement|remarks|speech|comment|briefing|readout|message)\s+(?:by|of|from)\s+(?:the\s+)?(.{3,80})",
    re.IGNORECASE,
)


class Voices:
    """Whose first-person words a sentence outside quotations holds: the speaker of a transcript turn
    ("MS WHITFIELD: We are not discussing any easing of sanctions"), else the author an address or a
    statement names in its first lines ("Statement by the Ministry of Foreign Affairs of Russia")."""

    def __init__(self, art: Article) -> None:
        self.art = art
        self.turns: list[tuple[int, str | None]] = []  # (paragraph start, actor) per turn
        pos = 0
        for line in art.text.split("\n"):
            m = _TURN.match(line)
            if m:
                self.turns.append((pos, self._label_actor(m.group(1), pos)))
            pos += len(line) + 1
        self.author: str | None = None
        top = art.text[:400].split("\n")[:4]
        for k, line in enumerate(top):
            m = _VOICE.search(line)
            if m:
                s = sum(len(x) + 1 for x in top[:k]) + m.start(1)
                named = art.mentions_in(s, s + len(m.group(1)))
                self.author = named[0].actor if named else None
                break

    def _label_actor(self, label: str, at: int) -> str | None:
        words = [w for w in re.split(r"\s+", label) if w.rstrip(".") not in ("MR", "MS", "MRS", "DR")]
        if not words or words[0] in _ASKERS:
            return None
        name = " ".join(w.capitalize() for w in words)
        found = self.art.gazetteer.actor_of(name) or self.art.gazetteer.actor_of(words[-1].capitalize())
        if found:
            return found
        # "Spokesperson Dana Whitfield, State Department": the line that introduces the person.
        surname = words[-1].capitalize()
        for m in re.finditer(r"(?<!\w)" + re.escape(surname) + r"(?!\w)", self.art.text):
            line0 = self.art.text.rfind("\n", 0, m.start()) + 1
            line1 = self.art.text.find("\n", m.end())
            line1 = len(self.art.text) if line1 < 0 else line1
            if _TURN.match(self.art.text[line0:line1]):
                continue
            named = self.art.mentions_in(line0, line1, outside_quotes=True)
            if named:
                return named[0].actor
        return None

    def actor(self, pos: int) -> str | None:
        """The party of the first-person voice at pos, if any."""
        para = self.art.text.rfind("\n", 0, pos) + 1
        for start, actor in reversed(self.turns):
            if start <= para:
                if start == para or not self.art.text[start:para].count("\n\n"):
                    return actor
                break
        if self.turns:
            return None
        return self.author

    def claimants(self, sent) -> list[tuple[str, object]]:
        """(actor, governor) for each first-person subject or owner in the sentence, outside quotations."""
        out: list[tuple[str, object]] = []
        actor = self.actor(sent.start_char)
        if actor is None:
            return out
        for tok in sent:
            if self.art.in_quote(tok.idx):
                continue
            if tok.lower_ in ("we", "i") and tok.dep_ in ("nsubj", "nsubjpass"):
                out.append((actor, tok.head))
            elif tok.lower_ in ("our", "my") and tok.dep_ == "poss" and tok.head.lemma_.lower() in STANCE_NOUNS:
                out.append((actor, stance_scope(tok.head)))
        return out
