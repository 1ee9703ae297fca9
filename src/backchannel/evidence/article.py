"""One parsed article: the body, its spaCy analysis and the actor mentions found in it."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field

from .gazetteer import Gazetteer

__all__ = ["Article", "Mention", "analyse"]


@dataclass(frozen=True)
class Mention:
    """A span of the body that names an actor."""

    actor: str
    text: str
    start: int
    end: int


@dataclass
class Article:
    """The body with its parse; offsets everywhere are character offsets into ``text``."""

    text: str
    doc: object  # spacy.tokens.Doc
    gazetteer: Gazetteer
    mentions: list[Mention]
    published: object = None  # datetime.date | None
    quote_spans: list[tuple[int, int]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [m.start for m in self.mentions]

    def mentions_in(self, start: int, end: int, outside_quotes: bool = False) -> list[Mention]:
        """Mentions lying inside [start, end), optionally skipping those inside quotations."""
        lo = bisect.bisect_left(self._starts, start)
        out = []
        for m in self.mentions[lo:]:
            if m.start >= end:
                break
            if m.end <= end and not (outside_quotes and self.in_quote(m.start)):
                out.append(m)
        return out

    def in_quote(self, pos: int) -> bool:
        """Whether a character offset lies inside a direct quotation."""
        return any(s <= pos < e for s, e in self.quote_spans)

    def paragraph(self, pos: int) -> tuple[int, int]:
        """Start and end offsets of the paragraph (line) holding pos."""
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, len(self.text) if end < 0 else end

    def previous_paragraph(self, pos: int) -> tuple[int, int] | None:
        """Start and end of the last non-blank paragraph before the one holding pos (blank lines skipped)."""
        k = self.paragraph(pos)[0] - 1
        while k > 0 and not self.text[self.text.rfind("\n", 0, k) + 1 : k].strip():
            k = self.text.rfind("\n", 0, k)
        if k <= 0:
            return None
        return self.paragraph(k - 1) if self.text[k - 1 : k] != "\n" else self.paragraph(k)

    def main_actor(self, start: int, end: int) -> str | None:
        """The actor named most often (outside quotations) in a stretch of text, if any."""
        counts = Counter(m.actor for m in self.mentions_in(start, end, outside_quotes=True))
        if not counts:
            return None
        top = counts.most_common(2)
        if len(top) > 1 and top[0][1] == top[1][1]:
            # A tie is broken by the latest mention: the party the text is talking about now.
            last = [
                m.actor for m in self.mentions_in(start, end, outside_quotes=True) if m.actor in (top[0][0], top[1][0])
            ]
            return last[-1]
        return top[0][0]

    def span_tokens(self, start: int, end: int):
        """Tokens whose characters lie within [start, end)."""
        doc = self.doc
        span = doc.char_span(start, end, alignment_mode="expand")
        return list(span) if span is not None else []


def analyse(text: str, nlp, gazetteer: Gazetteer, published=None) -> Article:
    """Parse the body and collect the gazetteer's actor mentions."""
    doc = nlp(text)
    mentions = [
        Mention(e.ent_id_, e.text, e.start_char, e.end_char) for e in doc.ents if e.label_ == "ACTOR" and e.ent_id_
    ]
    return Article(text=text, doc=doc, gazetteer=gazetteer, mentions=mentions, published=published)
