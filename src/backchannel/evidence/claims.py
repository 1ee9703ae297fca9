"""Claims: an actor holds, demands, offers, accepts or rejects a position on an issue.

A sentence is put on an issue by the issue's keywords (or, for paraphrases, by sentence
embeddings compared across issues, never by an absolute threshold alone). The claimant is an
actor the sentence makes the holder of a view: the subject of a verb, the possessor of a stance
noun ("Moscow's objective"), the agent of a passive ("pushed by Russia"), the frame "For Russia,",
the speaker of a quotation, or the party a bulleted list belongs to ("Putin's goals remain:").
The position comes from the cues found in the claimant's own clause, turned around when the
claimant rejects or refuses it; with no cue, from the clause's similarity to the scale labels.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..scenario.schema import Scenario
from .article import Article
from .lexicon import REJECT_VERBS, STANCE_NOUNS, STANCE_VERBS, IssueLexicon, lexicon_for
from .quotes import Quote

__all__ = ["Claim", "extract_claims"]

_BULLET = re.compile(r"^\s*(?:[-•*–]|\d+[.)])\s+")
_HYPOTHETICAL = re.compile(r"\b(scenarios?|possible|potential|options?|could|might|if)\b", re.IGNORECASE)
_HEDGES = {"may", "might", "could", "would", "perhaps", "possibly", "likely", "reportedly"}


@dataclass
class Claim:
    """An actor's position on an issue, with the sentence it rests on."""

    actor: str
    issue: str
    position: float | None
    confidence: float
    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        """The JSON record of the issue's contract."""
        pos = None if self.position is None else round(float(self.position), 1)
        return {"actor": self.actor, "issue": self.issue, "position": pos,
                "confidence": round(float(self.confidence), 2), "text": self.text, "start": self.start, "end": self.end}


#: Nouns for the people of a party: "Russian officials insist", "many in the Russian leadership, who ...".
GROUP_NOUNS = {"official", "leader", "leadership", "government", "side", "negotiator", "delegation", "diplomat",
               "many", "hawk", "elite", "establishment", "camp", "administration", "military", "command",
               "authority", "minister", "ministry", "spokesperson", "spokesman", "president", "team", "envoy",
               "lawmaker", "parliament", "source", "adviser", "advisor", "aide", "commander", "general", "ally",
               "partner", "capital", "counterpart"}


def _group_governor(noun):
    """The verb a group of a party's people governs, as subject or through "who"."""
    for child in noun.children:
        if child.dep_ == "relcl" and any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("who", "that")
                                         for c in child.children):
            return child
    if noun.dep_ in ("nsubj", "nsubjpass"):
        return noun.head
    return None


def _claimant_verb(tok):
    """(governing token, how) when an actor mention token makes its actor a holder of a view."""
    seen = 0
    while tok.dep_ in ("conj", "appos", "compound", "amod", "nmod") and seen < 4:
        if tok.dep_ in ("compound", "amod", "nmod") and tok.head.dep_ not in ("nsubj", "nsubjpass", "poss", "conj"):
            if tok.head.lemma_.lower() in GROUP_NOUNS:
                gov = _group_governor(tok.head)
                if gov is not None:
                    return gov, "group"
            if tok.head.dep_ == "pobj" and tok.head.head.lower_ in ("in", "of") \
                    and tok.head.head.head.lemma_.lower() in GROUP_NOUNS:
                gov = _group_governor(tok.head.head.head)
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
            return noun, "possessor"
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
    if tok.dep_ == "pobj" and tok.head.lower_ in ("for", "from") and tok.head.dep_ == "prep" \
            and tok.head.i < tok.head.head.i and tok.head.i <= tok.sent.start + 2:
        return tok.head.head, "frame"
    if tok.dep_ == "pobj" and tok.head.lower_ == "from" and tok.head.head.lemma_.lower() in STANCE_NOUNS:
        return tok.head.head.head, "frame"
    if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "of") and tok.head.head.lemma_.lower() in GROUP_NOUNS:
        gov = _group_governor(tok.head.head)
        if gov is not None:
            return gov, "group"
    return None, None


def _object_of(noun, verb) -> bool:
    """Whether a noun is what a verb acts on: "backed Trump's proposal", "agreed to Moscow's terms"."""
    return (noun.dep_ == "dobj" and noun.head.i == verb.i) or \
        (noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.i == verb.i)


def _clause(tok, others: list) -> tuple[int, int, list]:
    """Token indices of a claimant's clause: its governor's subtree minus other claimants' clauses.

    Another party's stance noun that the governor acts on stays in: backing (or rejecting) someone's
    proposal takes a position on what the proposal says.
    """
    keep = {t.i for t in tok.subtree}
    for other in others:
        if other.i != tok.i and other.i in keep and not (other.pos_ == "NOUN" and _object_of(other, tok)):
            keep -= {t.i for t in other.subtree}
    toks = sorted(keep)
    return toks[0], toks[-1], toks


#: Verbs that turn around what they govern beyond the rejection verbs: "drop its demand", "abandon".
_TURN = REJECT_VERBS | {"drop", "abandon", "forgo", "forego", "renounce", "shelve", "waive"}


def _clause_text(doc, toks: list[int]) -> tuple[str, list[int]]:
    """The clause as text (tokens with their own spacing) and, per character, the token it belongs to."""
    parts, owner = [], []
    prev = None
    for i in toks:
        if prev is not None and i != prev + 1:
            parts.append(" ")
            owner.append(i)
        piece = doc[i].text_with_ws
        parts.append(piece)
        owner.extend([i] * len(piece))
        prev = i
    return "".join(parts), owner


def _turned(doc, first: int, inside: set[int], gov, negation_in_cue: bool) -> bool:
    """Whether what a cue says is turned around by the words governing it up to the clause governor.

    A rejection verb on the way up ("drop his demand for ...", "Russia rejects the deployment of ...")
    turns it; so does a "not" on the cue's own verb ("would not lift sanctions") unless the cue
    already states the negation. The walk stops at an adverbial clause ("because ...").
    """
    tok = doc[first]
    turned = False
    verb_seen = False
    for _ in range(12):
        if tok.i not in inside:
            if tok.lemma_.lower() in _TURN or _rules_out(tok):
                turned = not turned
        negated = any(c.dep_ == "neg" and c.i not in inside for c in tok.children)
        if tok.pos_ in ("VERB", "AUX") and not verb_seen:
            verb_seen = True
            # "is not a reward" denies a description, not the thing described; "more sanctions if the
            # Kremlin does not agree to a ceasefire" states a condition: the speaker wants the ceasefire.
            if not negation_in_cue and negated and tok.lemma_.lower() != "be" and not _conditional(tok):
                turned = not turned
        elif negated and tok.i not in inside and tok.lemma_.lower() in STANCE_VERBS - _REPORTING:
            turned = not turned  # "would not support lifting sanctions"
        if gov is not None and tok.i == gov.i or tok.head.i == tok.i or tok.dep_ == "advcl":
            break
        tok = tok.head
    return turned


def _rules_out(tok) -> bool:
    """ "rule out" (a phrasal verb): turns around what it governs, as "reject" does."""
    return tok.lemma_.lower() == "rule" and any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children)


def _conditional(verb) -> bool:
    """Whether a verb heads an "if"/"unless" clause: what it negates is a condition, not a stance."""
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children)


def _cue_position(lex: IssueLexicon, text: str, doc=None, owner: list[int] | None = None, gov=None) -> float | None:
    """Median of the cue values found in a clause, each turned around when the clause rejects it."""
    hits: list[tuple[int, float]] = []
    for rx, value in lex.cues:
        for m in rx.finditer(text):
            v = float(value)
            if re.search(r"\b(rather than|instead of)\s+$", text[max(0, m.start() - 20):m.start()], re.I):
                v = 100.0 - v  # "freeze the front line rather than hand Russia the Donbas"
            elif doc is not None and owner is not None and m.start() < len(owner) and owner[m.start()] >= 0:
                inside = {owner[k] for k in range(m.start(), min(m.end(), len(owner)))} - {-1}
                negation_in_cue = bool(re.search(r"\b(no|not|never|cannot|can't|won'?t|without)\b", m.group(0), re.I))
                if _turned(doc, owner[m.start()], inside, gov, negation_in_cue):
                    v = 100.0 - v
            hits.append((m.end() - m.start(), v))
            break
    if not hits:
        return None
    # The most specific (longest) cue decides: "troops on Ukrainian soil are a threat" over "troops on Ukrainian soil".
    longest = max(n for n, _ in hits)
    return float(np.mean([v for n, v in hits if n == longest]))


def _bare_position(lex: IssueLexicon, doc, toks: list[int], gov) -> float | None:
    """The issue named as the object of the claimant's stance verb: "rejects any ceasefire" (85)."""
    if lex.bare is None or gov.pos_ not in ("VERB", "AUX"):
        return None
    rx, value = lex.bare
    for i in toks:
        tok = doc[i]
        if not rx.fullmatch(tok.text) and not rx.fullmatch(tok.lemma_):
            continue
        # Only close to the verb: its object, or the object's modifier ("demand for a ceasefire").
        # "call" takes a position only as "call for" ("called the sanctions an unfriendly act" names them).
        if gov.lemma_.lower() == "call" and not any(a.lower_ == "for" for a in list(tok.ancestors)[:2]):
            continue
        if any(a.i == gov.i for a in list(tok.ancestors)[:3]):
            return 100.0 - value if _turned(doc, tok.i, {tok.i}, gov, False) else value
    return None


def _reported(gov, others: list[tuple[str, object]], actor: str) -> bool:
    """Whether a claimant's clause is only the content of another party's demand or statement.

    "Russia insists that Ukraine withdraw": Ukraine withdrawing is Russia's demand, not Ukraine's view.
    The clause must hang below the other party's stance or speech verb (or stance noun) through
    complements, not through an adverbial "while ..." clause or a coordination.
    """
    from .quotes import SPEECH_VERBS

    for other_actor, other in others:
        if other is None or other_actor == actor or other.i == gov.i:
            continue
        lemma = other.lemma_.lower()
        if lemma not in STANCE_VERBS and lemma not in SPEECH_VERBS and lemma not in STANCE_NOUNS:
            continue
        tok, ok = gov, True
        for _ in range(10):
            if tok.i == other.i:
                break
            # Only complements carry a demand's content; a relative or adverbial clause is a view of its own.
            # (a "that" clause under a demand noun is often parsed as a relative clause)
            allowed = ("ccomp", "xcomp", "acl", "conj", "relcl") if tok.head.i == other.i and \
                other.lemma_.lower() in STANCE_NOUNS else ("ccomp", "xcomp", "acl", "conj")
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


_REPORTING = {"say", "see", "view", "consider", "expect", "hope", "signal", "suggest"}


def _pronoun_owner(art: Article, tok) -> str | None:
    """The party "its"/"their" stands for: the actor subject of the nearest verb above it, else the last one named."""
    for anc in tok.ancestors:
        if anc.pos_ in ("VERB", "AUX"):
            for child in anc.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.ent_type_ == "ACTOR" and child.ent_id_:
                    return child.ent_id_
    before = art.mentions_in(tok.sent.start_char, tok.idx, outside_quotes=True)
    return before[-1].actor if before else None


def _reported_by_named(tok) -> bool:
    """Whether a verb above the pronoun has a named subject ("Trump said he ...")."""
    for anc in list(tok.head.ancestors)[:4]:
        if any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PROPN" for c in anc.children):
            return True
    return False


def _person_before(art: Article, quotes: list[Quote], pos: int) -> str | None:
    """The party of the person "he"/"she" at pos stands for: the last one named (a known person) or quoted
    in this or the previous paragraph; None when that is an unaffiliated speaker."""
    p0, _ = art.paragraph(pos)
    lo = art.text.rfind("\n", 0, max(0, p0 - 1)) + 1 if p0 > 0 else 0
    best: tuple[int, str | None] | None = None
    for m in art.mentions_in(lo, pos, outside_quotes=True):
        if m.text in art.gazetteer.persons:
            best = (m.start, m.actor)
    for q in quotes:
        if lo <= q.start and q.end <= pos and q.speaker and (best is None or q.end > best[0]):
            best = (q.end, q.actor)
    return best[1] if best else None


def _colon_owner(sent, claimants) -> tuple[str, int] | None:
    """(actor, index after the colon) when a claimant's stance noun introduces a list: "its demands: ..."."""
    for tok in sent:
        if tok.text == ":" and tok.i > sent.start:
            prev = tok.doc[tok.i - 1]
            for actor, gov in claimants:
                if gov is not None and gov.i < tok.i and gov.lemma_.lower() in STANCE_NOUNS and (
                        gov.i == prev.i or prev.head.i == gov.i or gov.i in {t.i for t in prev.ancestors}
                        or gov.head.i in {prev.i, prev.head.i}):  # "the Kremlin's demands are clear: ..."
                    return actor, tok.i + 1
    return None


class _Frames:
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
                frame = self._owner(s, e, lines[max(0, k - 2):k])
                hypothetical = bool(_HYPOTHETICAL.search(line))

    def _owner(self, s: int, e: int, before) -> str | None:
        for m in self.art.mentions_in(s, e):
            tok = self.art.doc.char_span(m.start, m.end, alignment_mode="expand")
            if tok is not None and _claimant_verb(tok.root)[0] is not None:
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


def _quoted_subject(art: Article, part: list[int], speaker: str, previous: str) -> str:
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


def _quote_claims(art: Article, quotes: list[Quote], lexicons: list[IssueLexicon]) -> list[Claim]:
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
            about = _quoted_subject(art, part, q.actor, about)
            text, owner = _clause_text(art.doc, part)
            for lex in lexicons:
                if not lex.keywords.search(text):
                    continue
                pos = _cue_position(lex, text, art.doc, owner, None)
                if pos is None:
                    root = next((art.doc[i] for i in part if art.doc[i].dep_ == "ROOT"), None)
                    if root is not None and root.lemma_.lower() in STANCE_VERBS - _REPORTING:
                        pos = _bare_position(lex, art.doc, part, root)  # "We need security guarantees"
                out.append(Claim(about, lex.issue, pos, 0.8 if pos is not None else 0.5, art.text[s0:s1], s0, s1))
    return out


def extract_claims(art: Article, scenario: Scenario, quotes: list[Quote], encoder=None) -> list[Claim]:
    """Every claim in the article, one per (actor, issue, sentence)."""
    lexicons = [lexicon_for(i) for i in scenario.issues]
    issues = {i.id: i for i in scenario.issues}
    frames = _Frames(art)
    doc = art.doc
    out: list[Claim] = []
    pending: list[tuple[int, str, int, int, str]] = []  # (claim index, issue, clause start, end, clause text)
    unlinked: list[tuple[int, int, list[tuple[str, object]]]] = []
    for sent in doc.sents:
        s0, s1 = sent.start_char, sent.end_char
        sent_text = art.text[s0:s1].strip()
        if not sent_text:
            continue
        s1 = s0 + len(art.text[s0:s1].rstrip())
        # The bullet's label ("Sanctions relief:") belongs to the same claim as the sentence after it.
        line_start = art.text.rfind("\n", 0, s0) + 1
        scope_start = line_start if frames.actor(s0) else s0
        if sent_text.endswith(":") and len(sent_text.split()) <= 8 and scope_start < s0 + 3:
            continue  # a list item's label ("Sanctions relief:") is read with the sentence after it
        claimants: list[tuple[str, object]] = []  # (actor, governing token or None for the whole sentence)
        for m in art.mentions_in(s0, s1, outside_quotes=True):
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            if any(t.lower_ in ("former", "ex") for t in list(span.root.head.children) + list(span.root.children)):
                continue  # a former official speaks for no one
            gov, how = _claimant_verb(span.root)
            if gov is not None and _conditional(gov):
                continue  # "tariffs if Russia does not agree to a ceasefire": a condition set for Russia
            if gov is not None and all(not (a == m.actor and g is gov) for a, g in claimants):
                claimants.append((m.actor, gov))
        for tok in sent:
            # "its demands", "their insistence": the party named last before, outside quotations.
            if tok.dep_ == "poss" and tok.lower_ in ("its", "their") and tok.head.lemma_.lower() in STANCE_NOUNS \
                    and tok.head.head.lemma_.lower() not in _TURN:  # "abandon its ambition": the abandoner's
                owner = _pronoun_owner(art, tok)
                if owner and all(g is not tok.head for _, g in claimants):
                    claimants.append((owner, tok.head))
        for tok in sent:
            # "He ruled out ...": the person named or quoted just before.
            # Not "Trump said he would ...": there the pronoun is the reporting subject, whose clause holds it.
            if tok.lower_ in ("he", "she") and tok.dep_ in ("nsubj", "nsubjpass") and not art.in_quote(tok.idx) \
                    and not _reported_by_named(tok):
                owner = _person_before(art, quotes, tok.idx)
                gov, _ = _claimant_verb(tok)
                if owner and gov is not None and all(g is not gov for _, g in claimants):
                    claimants.append((owner, gov))
        frame = frames.actor(s0)
        if frame and all(a != frame for a, _ in claimants):
            claimants.append((frame, None))
        if not claimants:
            continue
        scope_text = art.text[scope_start:s1]
        hit = [lex for lex in lexicons if lex.keywords.search(scope_text)]
        if not hit:
            unlinked.append((s0, s1, claimants))
            continue
        claimants = [(a, g) for a, g in claimants if g is None or not _reported(g, claimants, a)]
        colon = _colon_owner(sent, claimants)
        if colon is not None:
            # "the Kremlin's demands: Ukraine must ...": everything after the colon is the owner's.
            claimants = [(a, g) for a, g in claimants if g is None or g.i < colon[1] or a == colon[0]]
        govs = [g for _, g in claimants if g is not None]
        for actor, gov in claimants:
            owner = None
            if gov is not None:
                lo, hi, toks = _clause(gov, govs)
                if colon is not None and gov.i < colon[1] and actor == colon[0]:
                    toks = sorted(set(toks) | set(range(colon[1], sent.end)))
                    hi = toks[-1]
                toks = [i for i in toks if not art.in_quote(doc[i].idx)] or toks
                c0, c1 = doc[lo].idx, doc[hi].idx + len(doc[hi])
                clause_text, owner = _clause_text(doc, toks)
                if scope_start < s0:
                    label = art.text[scope_start:s0] + " "
                    clause_text = label + clause_text
                    owner = [-1] * len(label) + owner
                hedged = any(t.lower_ in _HEDGES for t in doc[lo:hi + 1]) or frames.hedged(s0)
                strong = (gov.lemma_.lower() in STANCE_VERBS - _REPORTING) or gov.lemma_.lower() in STANCE_NOUNS
            else:
                c0, c1, clause_text = scope_start, s1, scope_text
                hedged, strong = frames.hedged(s0), False
            for lex in hit:
                if not lex.keywords.search(clause_text):
                    continue
                pos = _cue_position(lex, clause_text, doc, owner, gov)
                if pos is None and strong and gov is not None:
                    pos = _bare_position(lex, doc, toks, gov)
                if pos is None and not strong:
                    continue  # the issue is only mentioned near the actor, not taken a position on
                conf = 0.55 + (0.2 if pos is not None else 0.0) + (0.1 if strong else 0.0) - (0.25 if hedged else 0.0)
                if frames.hedged(s0):
                    conf -= 0.2  # a list of possible scenarios lays out options, not anyone's position
                out.append(Claim(actor, lex.issue, pos, min(0.95, max(0.1, conf)),
                                 art.text[s0:s1], s0, s1))
                if pos is None:
                    pending.append((len(out) - 1, lex.issue, c0, c1, clause_text))
    out += _quote_claims(art, quotes, lexicons)
    if encoder is not None:
        _embed_positions(out, pending, issues, encoder)
        out += _embed_links(art, unlinked, scenario, encoder)
    return _dedupe(out)


def _label_texts(issue) -> tuple[np.ndarray, list[str]]:
    points = sorted(issue.scale)
    return np.array(points, dtype=float), [f"{issue.name}: {issue.scale[p]}" for p in points]


_LABEL_CACHE: dict[tuple, np.ndarray] = {}


def _encode_cached(encoder, texts: list[str]) -> np.ndarray:
    """Scale labels and issue texts are the same for every article: encode them once."""
    key = (id(encoder), tuple(texts))
    if key not in _LABEL_CACHE:
        _LABEL_CACHE[key] = encoder.encode(texts)
    return _LABEL_CACHE[key]


def _embed_positions(claims: list[Claim], pending, issues, encoder) -> None:
    """Place cue-less claims by the clause's similarity to the issue's scale labels."""
    if not pending:
        return
    vecs = encoder.encode([p[4] for p in pending])
    for (k, issue_id, *_), v in zip(pending, vecs):
        points, labels = _label_texts(issues[issue_id])
        if len(points) < 2:
            continue
        sims = _encode_cached(encoder, labels) @ v
        # Softmax over the labels: only the relative closeness matters.
        w = np.exp((sims - sims.max()) / 0.02)
        claims[k].position = float((w * points).sum() / w.sum())
        claims[k].confidence = max(0.1, claims[k].confidence - 0.25)


def _embed_links(art: Article, unlinked, scenario: Scenario, encoder) -> list[Claim]:
    """Paraphrases: sentences with a claimant and a stance verb but no issue keyword."""
    stance = []
    for s0, s1, claimants in unlinked:
        govs = [g for _, g in claimants if g is not None]
        if any(g.lemma_.lower() in (STANCE_VERBS - {"say", "see", "view"}) or g.lemma_.lower() in STANCE_NOUNS
               for g in govs):
            stance.append((s0, s1, claimants))
    if not stance:
        return []
    issue_texts = [f"{i.name}. " + "; ".join(i.scale.values()) for i in scenario.issues]
    iv = _encode_cached(encoder, issue_texts)
    sv = encoder.encode([art.text[s0:s1] for s0, s1, _ in stance])
    sims = sv @ iv.T  # (sentences, issues)
    out = []
    for k, ((s0, s1, claimants), row) in enumerate(zip(stance, sims)):
        order = np.argsort(row)[::-1]
        best, second = row[order[0]], row[order[1]] if len(row) > 1 else 0.0
        # Relative test: the best issue must stand out from the others, not just pass a bar.
        if best < 0.35 or best - second < 0.08:
            continue
        issue = scenario.issues[int(order[0])]
        points, labels = _label_texts(issue)
        pos = None
        if len(points) >= 2:
            lv = _encode_cached(encoder, labels) @ sv[k]
            w = np.exp((lv - lv.max()) / 0.02)
            pos = float((w * points).sum() / w.sum())
        for actor, _ in claimants[:1]:
            # Linked by similarity alone: kept for a reader to check, weighed little.
            out.append(Claim(actor, issue.id, pos, 0.15, art.text[s0:s1], s0, s1))
    return out


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per (actor, issue, sentence): the most confident of those found."""
    best: dict[tuple, int] = {}
    out: list[Claim] = []
    for c in claims:
        key = (c.actor, c.issue, c.start)
        if key not in best:
            best[key] = len(out)
            out.append(c)
        elif c.confidence > out[best[key]].confidence:
            out[best[key]] = c
    return out
