"""Events: envoy visits, talks, summits, ultimatums, sanctions and tariffs, military signals."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .article import Article

__all__ = ["Event", "EVENT_KINDS", "extract_events"]


def _rx(p: str) -> re.Pattern:
    return re.compile(p, re.IGNORECASE)


_THREAT = _rx(
    r"\b(threat\w*|warn\w*|vow\w*|or face|unless|ready to (impose|slap|hit)|prepar\w* (new |further )?(sanctions|tariffs)|"
    r"consider\w* (new |further |secondary )?(sanctions|tariffs)|(could|would|will|may|might) (impose|slap|introduce|"
    r"hit|face)|(sanctions|tariffs) (are|were|was) (on|off) the table)\b"
)
_DONE = _rx(
    r"\b(impos\w*|announc\w*|slapp\w*|introduc\w*|adopt\w*|approv\w*|levied|hit|took effect|came into force|"
    r"new round|package)\b"
)
#: kind -> (sentence must match, and may not match)
EVENT_KINDS: dict[str, tuple[re.Pattern, re.Pattern | None]] = {
    "envoy_visit": (
        _rx(
            r"\b(envoy|emissary|special representative|negotiator|delegation)s?\b.{0,80}\b(visit\w*|arriv\w*|"
            r"travel\w*|flew|fly|flies|landed|trip|met|meets)\b|\b(visit\w*|arriv\w*|travel\w*|flew|trip)\b.{0,60}"
            r"\b(envoy|emissary|special representative)\b"
        ),
        None,
    ),
    "summit": (
        _rx(
            r"\bsummit\b|\bmeeting between (the )?(two )?(leaders|presidents)|face-to-face (meeting|talks)|"
            r"in-person meeting"
        ),
        None,
    ),
    "talks": (
        _rx(
            r"\b(held|hold|holds|holding|met|meet|meets|began|begin|begins|resum\w*|opened|concluded|wrapped up|"
            r"convened|join\w*|host\w*)\b.{0,60}\b(talks|negotiations|round)\b|\b(talks|negotiations)\b.{0,40}"
            r"\b(took place|were held|are held|began|ended|resumed|opened|will be held|is set|are set)\b|"
            r"phone (call|conversation)|spoke by (tele)?phone|\bmet with\b|delegations met"
        ),
        _rx(r"\bsummit\b"),
    ),
    "ultimatum": (_rx(r"\bultimatum\b|\bdeadline\b|\bgave\b.{0,40}\b\d+ days\b|\bor face\b"), None),
    "sanctions_threat": (_rx(r"\bsanction\w*"), None),
    "sanctions_imposed": (_rx(r"\bsanction\w*"), None),
    "tariff_threat": (_rx(r"\btariffs?\b|\bduties\b"), None),
    "tariff_imposed": (_rx(r"\btariffs?\b|\bduties\b"), None),
    "military_signal": (
        _rx(
            r"\b(missiles?|drones?|air ?strikes?|strikes|offensive|mobili[sz]\w*|nuclear|troop build-?up|"
            r"massing|deploy\w*|military exercises?|drills|bombard\w*|shelling|attack\w*|barrage)\b"
        ),
        None,
    ),
}


@dataclass
class Event:
    """Something that happened or was threatened, with who did it to whom."""

    kind: str
    actor: str | None
    target: str | None
    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        """The JSON record of the issue's contract."""
        return {
            "kind": self.kind,
            "actor": self.actor,
            "target": self.target,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


def _actor_target(art: Article, s0: int, s1: int) -> tuple[str | None, str | None]:
    """The acting party (a subject) and the party acted upon (an object or 'on/against/with X')."""
    actor = target = None
    for m in art.mentions_in(s0, s1, outside_quotes=True):
        span = art.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        tok = span.root
        while tok.dep_ in ("compound", "amod", "poss", "conj", "appos") and tok.head.i != tok.i:
            tok = tok.head
        if tok.dep_ in ("nsubj", "nsubjpass", "agent") and actor is None:
            actor = m.actor
        elif tok.dep_ in ("dobj", "dative", "pobj", "iobj") and target is None and m.actor != actor:
            target = m.actor
    if actor is None:
        found = [m.actor for m in art.mentions_in(s0, s1, outside_quotes=True)]
        actor = found[0] if found else None
        if target is None:
            target = next((a for a in found if a != actor), None)
    if target == actor:
        target = None
    return actor, target


def extract_events(art: Article) -> list[Event]:
    """Every event sentence, one record per kind found in it."""
    out: list[Event] = []
    for sent in art.doc.sents:
        s0 = sent.start_char
        s1 = s0 + len(sent.text.rstrip())
        text = art.text[s0:s1]
        if not text.strip():
            continue
        kinds = []
        for kind, (must, must_not) in EVENT_KINDS.items():
            if not must.search(text) or (must_not is not None and must_not.search(text)):
                continue
            if kind.endswith("_threat") and not _THREAT.search(text):
                continue
            if kind.endswith("_imposed") and (_THREAT.search(text) or not _DONE.search(text)):
                continue
            kinds.append(kind)
        if not kinds:
            continue
        actor, target = _actor_target(art, s0, s1)
        if actor is None and target is None:
            continue
        for kind in kinds:
            out.append(Event(kind, actor, target, text, s0, s1))
    return out
