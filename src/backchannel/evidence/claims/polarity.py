"""Where a claimant's clause lies on an issue's scale: its cues, turned around by rejection, negation
or "rather than"; the issue named bare as a stance verb's object."""

from __future__ import annotations

import re

import numpy as np

from ..lexicon import REJECT_VERBS, STANCE_VERBS, IssueLexicon


def object_of(noun, verb) -> bool:
    """Whether a noun is what a verb acts on: "backed Trump's proposal", "agreed to Moscow's terms"."""
    return (noun.dep_ == "dobj" and noun.head.i == verb.i) or (
        noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.i == verb.i
    )


def clause(tok, others: list) -> tuple[int, int, list]:
    """Token indices of a claimant's clause: its governor's subtree minus other claimants' clauses.

    Another party's stance noun that the governor acts on stays in: backing (or rejecting) someone's
    proposal takes a position on what the proposal says.
    """
    keep = {t.i for t in tok.subtree}
    for other in others:
        if other.i != tok.i and other.i in keep and not (other.pos_ == "NOUN" and object_of(other, tok)):
            keep -= {t.i for t in other.subtree}
    toks = sorted(keep)
    return toks[0], toks[-1], toks


#: Verbs that turn around what they govern beyond the rejection verbs: "drop its demand", "abandon".
TURN = REJECT_VERBS | {"drop", "abandon", "forgo", "forego", "renounce", "shelve", "waive"}


def join_clause(doc, toks: list[int]) -> tuple[str, list[int]]:
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


def turned(doc, first: int, inside: set[int], gov, negation_in_cue: bool) -> bool:
    """Whether what a cue says is turned around by the words governing it up to the clause governor.

    A rejection verb on the way up ("drop his demand for ...", "Russia rejects the deployment of ...")
    turns it; so does a "not" on the cue's own verb ("would not lift sanctions") unless the cue
    already states the negation. The walk stops at an adverbial clause ("because ...").
    """
    tok = doc[first]
    turned = False
    verb_seen = False
    came_as, came_from = "", None  # the dependency (and child) by which the walk reached tok
    for _ in range(12):
        if tok.i not in inside and (
            tok.lemma_.lower() in TURN or rules_out(tok) or gives_away(tok) or _denied_intent(tok)
        ):
            turned = not turned
        if _called_unacceptable(tok, came_as, inside) or _denied_noun(tok, inside) or _ruled_out_idiom(tok, came_as):
            turned = not turned
        if (
            came_from is not None
            and came_from.i > 0
            and doc[came_from.i - 1].dep_ == "neg"
            and doc[came_from.i - 1].head.i == tok.i
            and came_from.i - 1 not in inside
        ):
            turned = not turned  # "a ceasefire, not about handing over our land": "not" right before the branch
        negated = any(c.dep_ == "neg" and c.i not in inside for c in tok.children)
        if tok.pos_ in ("VERB", "AUX") and not verb_seen:
            verb_seen = True
            # "is not a reward" denies a description, not the thing described; "more sanctions if the
            # Kremlin does not agree to a ceasefire" states a condition: the speaker wants the ceasefire.
            if not negation_in_cue and negated and tok.lemma_.lower() != "be" and not conditional(tok):
                turned = not turned
        elif negated and tok.i not in inside and tok.lemma_.lower() in STANCE_VERBS - REPORTING:
            turned = not turned  # "would not support lifting sanctions"
        elif (
            negated
            and tok.i not in inside
            and came_as == "xcomp"
            and tok.pos_ in ("VERB", "AUX")
            and tok.lemma_.lower() not in REPORTING
            and not negation_in_cue
            and not conditional(tok)
        ):
            turned = not turned  # "are not going to withdraw", "does not want to join": the act denied
        if gov is not None and tok.i == gov.i or tok.head.i == tok.i or tok.dep_ == "advcl":
            break
        if tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX") and tok.head.pos_ in ("VERB", "AUX"):
            break  # "rules out membership and envisages a lifting of sanctions": each verb its own
        came_as, came_from = tok.dep_, tok
        tok = tok.head
    return turned


def rules_out(tok) -> bool:
    """ "rule out" (a phrasal verb): turns around what it governs, as "reject" does."""
    return tok.lemma_.lower() == "rule" and any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children)


def gives_away(tok) -> bool:
    """ "trade away", "bargain away", "sell out", "sacrifice": giving something up is being against it."""
    lemma = tok.lemma_.lower()
    if lemma in ("sacrifice", "betray"):
        return True
    return lemma in ("trade", "bargain", "sign", "give", "sell") and any(
        c.dep_ == "prt" and c.lower_ in ("away", "out") for c in tok.children
    )


#: Nouns of intent that "no" denies: "no intention of freezing the war" is being against a freeze.
_INTENT = {
    "intention",
    "intent",
    "plan",
    "desire",
    "wish",
    "interest",
    "willingness",
    "readiness",
    "appetite",
    "question",
    "way",
}
#: Words that call what they describe unacceptable: "considers unacceptable any deployment of ...".
_UNACCEPTABLE = {"unacceptable", "inadmissible", "impossible", "unthinkable", "non-starter"}


#: Only what a verb is said of: "considers unacceptable any deployment" (object), "a freeze is
#: unacceptable" (subject); not a clause coordinated with it.
_ARGS = ("nsubj", "nsubjpass", "csubj", "dobj", "attr", "oprd")


def _denied_intent(tok) -> bool:
    return tok.lemma_.lower() in _INTENT and any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children)


def _denied_noun(tok, inside: set[int]) -> bool:
    """ "there would be no easing of sanctions": a "no" (outside the cue) on the cue's own noun."""
    return (
        tok.i in inside
        and tok.pos_ == "NOUN"
        and any(c.dep_ == "det" and c.lower_ == "no" and c.i not in inside for c in tok.children)
    )


_IDIOM = re.compile(
    r"(?:not |no longer |never )?(?:out of the question|off the table|a non-?starter|dead on arrival)"
    r"|(?:not|no longer|never) (?:on the (?:agenda|table)|up for (?:discussion|negotiation|debate))"
)


def _ruled_out_idiom(tok, came_as: str) -> bool:
    """ "a ceasefire remained out of the question", "is off the table", "was not on the agenda": said of
    its subject, an idiom that rejects it."""
    if tok.pos_ not in ("VERB", "AUX") or came_as not in ("nsubj", "nsubjpass"):
        return False
    after = tok.doc[tok.i + 1 : min(tok.right_edge.i + 1, tok.i + 8)].text.lower()
    return bool(_IDIOM.match(after))


def _called_unacceptable(tok, came_as: str, inside: set[int]) -> bool:
    """ "an unacceptable deployment", "considers unacceptable any deployment", "a freeze is unacceptable"
    (the word itself not part of the cue)."""
    if tok.pos_ in ("VERB", "AUX"):
        return came_as in _ARGS and any(
            c.dep_ in ("acomp", "oprd", "ccomp", "xcomp", "attr", "advmod")
            and c.lower_ in _UNACCEPTABLE
            and c.i not in inside
            for c in tok.children
        )
    return any(c.dep_ == "amod" and c.lower_ in _UNACCEPTABLE and c.i not in inside for c in tok.children)


#: Subordinators that make a clause a condition set for its subject: "sanctions if Russia refuses",
#: "a ceasefire only after Kyiv withdraws", "no relief until Moscow stops".
CONDITION_MARKS = ("if", "unless", "after", "until", "till", "once", "before")


def conditional(verb) -> bool:
    """Whether a verb heads a condition ("if", "unless", "only after", "until"): what it negates is a
    condition, not a stance, and its subject is who the condition is set for."""
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS for c in verb.children)


def turn(value: float, lean: float | None) -> float:
    """A cue's value turned around. Rejecting a middle ground (a freeze on the line, 50) says only that
    the claimant wants more than it on its own side: the side of its current position (``lean``)."""
    if lean is not None and 40 <= value <= 60:
        return 85.0 if lean > 50 else 15.0
    return 100.0 - value


def cue_position(
    lex: IssueLexicon, text: str, doc=None, owner: list[int] | None = None, gov=None, lean: float | None = None
) -> float | None:
    """The cue value found in a clause (the longest cue), turned around when the clause rejects it."""
    hits: list[tuple[int, float]] = []
    for rx, value in lex.cues:
        for m in rx.finditer(text):
            v = float(value)
            if re.search(r"\b(rather than|instead of)\s+$", text[max(0, m.start() - 20) : m.start()], re.IGNORECASE):
                v = 100.0 - v  # "freeze the front line rather than hand Russia the Donbas"
            elif doc is not None and owner is not None and m.start() < len(owner) and owner[m.start()] >= 0:
                inside = {owner[k] for k in range(m.start(), min(m.end(), len(owner)))} - {-1}
                negation_in_cue = bool(
                    re.search(r"\b(no|not|never|cannot|can't|won'?t|without)\b", m.group(0), re.IGNORECASE)
                )
                if turned(doc, owner[m.start()], inside, gov, negation_in_cue):
                    v = turn(v, lean)
            hits.append((m.end() - m.start(), v))
            break
    if not hits:
        return None
    # The most specific (longest) cue decides: "troops on Ukrainian soil are a threat" over "troops on Ukrainian soil".
    longest = max(n for n, _ in hits)
    return float(np.mean([v for n, v in hits if n == longest]))


def bare_position(lex: IssueLexicon, doc, toks: list[int], gov) -> float | None:
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
            return 100.0 - value if turned(doc, tok.i, {tok.i}, gov, False) else value
    return None


def idiom_position(lex: IssueLexicon, doc, toks: list[int]) -> float | None:
    """The issue named bare as the subject of an idiom that rules it out: "a ceasefire was not on the
    agenda", "sanctions relief is off the table" (the bare value turned around)."""
    if lex.bare is None:
        return None
    rx, value = lex.bare
    for i in toks:
        tok = doc[i]
        if (rx.fullmatch(tok.text) or rx.fullmatch(tok.lemma_)) and _ruled_out_idiom(tok.head, tok.dep_):
            return 100.0 - value
    return None


REPORTING = {"say", "see", "view", "consider", "expect", "hope", "signal", "suggest"}
