"""Direct quotations and who said them.

Quotes are found in the raw text (curly, straight and single marks, spanning sentences, or left
open at the end of a paragraph). The speaker comes from the nearest speech verb outside the
quote in the same sentence frame (", a senior Russian official emphasized", "Peskov said:"),
from "according to ...", from a colon after a named subject, or from the previous quote when the
quote simply continues it. The speaker's actor comes from the gazetteer words in the speaker's
phrase and description; analysts, professors and journalists speak for no party unless they
speak as "we" for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .article import Article
from .gazetteer import AFFILIATIONS

__all__ = ["Quote", "find_quote_spans", "extract_quotes"]

_PAIRS = {"“": "”", "„": "“”", "«": "»", '"': '"', "‘": "’", "'": "'"}
_OPEN_OK_BEFORE = set(" \t\n([{—–-:;,/") | {"“", '"'}
SPEECH_VERBS = {
    "say",
    "tell",
    "add",
    "note",
    "emphasize",
    "emphasise",
    "stress",
    "warn",
    "argue",
    "claim",
    "assert",
    "insist",
    "admit",
    "acknowledge",
    "explain",
    "write",
    "declare",
    "state",
    "announce",
    "comment",
    "remark",
    "observe",
    "conclude",
    "suggest",
    "reply",
    "respond",
    "answer",
    "caution",
    "predict",
    "complain",
    "tweet",
    "post",
    "urge",
    "ask",
    "describe",
    "recall",
    "confirm",
    "deny",
    "vow",
    "pledge",
    "promise",
    "threaten",
    "concede",
    "contend",
    "maintain",
    "quip",
    "joke",
    "muse",
    "report",
    "underline",
    "underscore",
    "summarize",
    "summarise",
    "continue",
    "put",
    "affirm",
    "counter",
    "retort",
    "lament",
    "speculate",
    "exclaim",
    "proclaim",
    "reiterate",
    "repeat",
    "point",
    "hint",
    "boast",
    "charge",
    "allege",
    "reveal",
    "disclose",
    "signal",
    "demand",
    "mention",
    "specify",
    "clarify",
    "call",
    "dub",
    "label",
    "brand",
    "term",
}
#: Roles that speak for no party on their own.
UNAFFILIATED = {
    "analyst",
    "expert",
    "professor",
    "scholar",
    "researcher",
    "journalist",
    "commentator",
    "observer",
    "historian",
    "economist",
    "philosopher",
    "theorist",
    "columnist",
    "author",
    "writer",
    "pundit",
    "fellow",
    "lecturer",
    "academic",
    "reporter",
    "editor",
    "correspondent",
    "specialist",
    "thinker",
    "ideologue",
    "blogger",
    "strategist",
    "consultant",
    "director",
    "scientist",
    "political scientist",
    # someone who works at a research body or runs a programme there
    "institute",
    "university",
    "programme",
    "program",
    "think",
}
#: Titles that name one office holder: "the President", "the Secretary", "the official" refer back to the
#: person last introduced with that title ("President of the Russian Federation V.V. Putin").
TITLES = {
    "president",
    "secretary",
    "minister",
    "chancellor",
    "premier",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "envoy",
    "ambassador",
    "senator",
    "official",
    "diplomat",
    "source",
    "adviser",
    "advisor",
    "aide",
    "negotiator",
    "lawmaker",
    "general",
    "commander",
    # offices: "the Foreign Ministry said" speaks for the party the sentence or paragraph is about
    "ministry",
    "office",
    "administration",
    "government",
    "department",
    "presidency",
    "delegation",
    "side",
}
#: Words that make a role a party's own ("military strategist", "government analyst").
PARTY_MARKERS = {
    "military",
    "official",
    "officials",
    "government",
    "ministry",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "army",
    "intelligence",
    "presidential",
    "state",
}
#: Quotations shorter than this are scare quotes or titles, left unattributed.
MIN_WORDS = 4
_PRONOUNS = {"he", "she", "they", "him", "her"}
_WE = re.compile(r"\b(we|our|ours)\b", re.IGNORECASE)


@dataclass
class Quote:
    """A direct quotation: the words inside the marks and who said them."""

    text: str
    start: int
    end: int
    speaker: str | None = None
    actor: str | None = None
    head: str | None = None  # lemma of the speaker's head noun, for "the analyst added"

    def to_dict(self) -> dict:
        """The JSON record of the issue's contract."""
        return {"text": self.text, "start": self.start, "end": self.end, "speaker": self.speaker, "actor": self.actor}


def _closing(text: str, i: int, mark: str, limit: int) -> int:
    """Offset of the mark closing the quote opened at i, or -1."""
    closers = _PAIRS[mark]
    j = i + 1
    while j < limit:
        c = text[j]
        if c in closers:
            if mark in "‘'":
                # An apostrophe inside a word ("Ukraine’s") does not close a single quote.
                nxt = text[j + 1] if j + 1 < limit else " "
                if nxt.isalpha() or not text[j - 1].strip():
                    j += 1
                    continue
            return j
        if mark in "‘'" and c in '“"':
            return -1  # a single mark before a double quote opens nothing we can trust
        j += 1
    return -1


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside every top-level quotation, paragraph by paragraph."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        limit = pos + len(para)
        i = pos
        while i < limit:
            c = text[i]
            if c in _PAIRS and (i == pos or text[i - 1] in _OPEN_OK_BEFORE):
                nxt = text[i + 1] if i + 1 < limit else ""
                if not nxt.strip() or (c in "‘'" and not (nxt.isalnum() or nxt in "…")):
                    i += 1
                    continue
                j = _closing(text, i, c, limit)
                if j < 0:
                    if c in "‘'":
                        i += 1
                        continue
                    j = limit  # cut off: the quote runs to the end of the paragraph
                s, e = i + 1, j
                while s < e and text[s].isspace():
                    s += 1
                while e > s and text[e - 1].isspace():
                    e -= 1
                if e > s:
                    spans.append((s, e))
                i = j + 1
                continue
            i += 1
        pos = limit + 1
    return spans


def _word_count(s: str) -> int:
    return len(re.findall(r"[\w’'-]+", s))


def _frame_after(text: str, end: int, limit: int, opens: list[int]) -> tuple[int, int]:
    """The text after a quote up to the end of its sentence (or the next quote)."""
    s = end + 1 if end < limit and text[end] in "”\"’'»“" else end
    next_open = min([o for o in opens if o > s] + [limit])
    cut = _sentence_end(text, s, next_open)
    return s, cut if cut >= 0 else next_open


_ABBREV = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Sen|Rep|Gov|Prof|Jr|Sr|No|Vol|approx|vs|etc))\.$")


def _sentence_end(text: str, start: int, stop: int) -> int:
    """Offset just after the first sentence-ending mark in [start, stop), or -1; skips "U.S.", "Dr."."""
    for m in re.finditer(r"[.!?](?=[”\"’']?(\s|$))", text[start:stop]):
        end = start + m.end()
        if text[end - 1] == "." and _ABBREV.search(text[max(start, end - 6) : end]):
            continue
        return end
    return -1


def _frame_before(text: str, start: int, floor: int) -> tuple[int, int]:
    """The text before a quote back to the start of its sentence (or the previous quote)."""
    b = start - 1 if start > floor else start
    seg = text[floor:b]
    last = None
    for m in re.finditer(r"[.!?][”\"’']?\s+", seg):
        if not (seg[m.start()] == "." and _ABBREV.search(seg[max(0, m.start() - 5) : m.start() + 1])):
            last = m
    return (floor + last.end() if last else floor), b


class _Speakers:
    """Speaker finding over the parsed article."""

    def __init__(self, art: Article) -> None:
        self.art = art
        self.doc = art.doc

    def verbs_in(self, start: int, end: int):
        """Speech verbs whose token lies in [start, end), outside quotations."""
        out = []
        for tok in self.art.span_tokens(start, end):
            if tok.idx < start or tok.idx >= end or self.art.in_quote(tok.idx):
                continue
            if tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ in ("VERB", "AUX", "NOUN"):
                out.append(tok)
        return out

    def subject(self, verb, start: int, end: int):
        """The speaker tokens (subject of a speech verb) inside the frame, or None."""
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass") and start <= child.idx < end:
                return child
        if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.idx >= start:
            return self.subject(verb.head, start, end)
        # Inverted attribution: ", said Peskov" parses Peskov as an object or attribute.
        for child in verb.rights:
            if child.dep_ in ("dobj", "attr", "npadvmod", "dative") and child.pos_ == "PROPN" and child.idx < end:
                return child
        return None

    def phrase(self, head):
        """(speaker as written, full description) for a subject token."""
        sub = list(head.subtree)
        full = self.doc[sub[0].i : sub[-1].i + 1]
        cut = [t for t in sub if t.i > head.i and (t.dep_ in ("appos", "relcl", "acl") or t.text == ",")]
        if cut:
            written = self.doc[sub[0].i : cut[0].i]
        else:
            written = full
        text = written.text.strip(" ,\"“”‘’'")
        if head.pos_ == "PROPN" and head.ent_type_ and not any(t.dep_ == "det" for t in written):
            ent = next((e for e in self.doc.ents if e.start <= head.i < e.end), None)
            if ent is not None and len(ent.text) > len(text):
                text = ent.text
        return text, full.text

    def governing_subject(self, start: int, end: int):
        """The subject of the speech verb that governs the quoted words in the parse, if any."""
        inside = [t for t in self.art.span_tokens(start, end) if start <= t.idx < end]
        if not inside:
            return None
        idx = {t.i for t in inside}
        roots = [t for t in inside if t.head.i not in idx or t.head.i == t.i]
        for root in roots:
            # "..., he said" is sometimes parsed as hanging off the quoted verb.
            for child in root.children:
                if (
                    child.i not in idx
                    and child.dep_ in ("parataxis", "advcl", "conj", "ccomp")
                    and child.lemma_.lower() in SPEECH_VERBS
                    and child.pos_ in ("VERB", "AUX")
                ):
                    subj = self.subject(child, 0, len(self.art.text))
                    if subj is not None and subj.i not in idx:
                        return subj
            tok, steps = root, 0
            while tok.head.i != tok.i and steps < 4:
                tok = tok.head
                steps += 1
                if tok.i in idx:
                    continue
                if tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ in ("VERB", "AUX"):
                    subj = self.subject(tok, 0, len(self.art.text))
                    if subj is not None and subj.i not in idx and not self.art.in_quote(subj.idx):
                        return subj
                    break
        return None

    def antecedent(self, pos: int):
        """The person a pronoun before pos refers to: the last named subject in this paragraph, else in the
        previous one (blank lines skipped)."""
        p0, _ = self.art.paragraph(pos)
        prev = self.art.previous_paragraph(pos)
        for lo, hi in ((p0, pos), (prev[0], prev[1]) if prev else (0, 0)):
            speaker = subject = fallback = None
            for tok in self.art.span_tokens(lo, hi):
                if tok.idx >= hi or self.art.in_quote(tok.idx) or not self.is_person(tok):
                    continue
                fallback = tok
                if tok.dep_ in ("nsubj", "nsubjpass"):
                    subject = tok
                    # Someone who was just speaking is the likeliest "he said".
                    if tok.head.lemma_.lower() in SPEECH_VERBS:
                        speaker = tok
            if speaker or subject or fallback:
                return speaker or subject or fallback
        return None

    def lead_in(self, start: int):
        """The speaker a quotation standing alone in its paragraph gets from the paragraphs around it:
        a trailer line "– Volodymyr Zelensky" after it, or a lead-in paragraph ending in a colon
        ("From the Kremlin, this morning:") before it."""
        text = self.art.text
        _, p1 = self.art.paragraph(start)
        nxt = p1 + 1
        while nxt < len(text) and text[nxt] == "\n":
            nxt += 1
        n0, n1 = self.art.paragraph(nxt) if nxt < len(text) else (0, 0)
        trailer = re.match(r"[ \t]*[–—-]+[ \t]*(\S.{1,80}?)[ \t]*$", text[n0:n1]) if n1 > n0 else None
        if trailer and len(trailer.group(1).split()) <= 8:
            toks = [t for t in self.art.span_tokens(n0 + trailer.start(1), n1) if t.pos_ in ("PROPN", "NOUN")]
            if toks:
                return toks[0].sent.root if toks[0].sent.root.pos_ in ("PROPN", "NOUN") else toks[-1]
        prev = self.art.previous_paragraph(start)
        if prev and text[prev[0] : prev[1]].rstrip().endswith(":"):
            people = [t for t in self.art.span_tokens(*prev) if self.is_person(t)]
            if people:
                return people[-1]
            named = self.art.mentions_in(*prev)
            if named:
                span = self.doc.char_span(named[0].start, named[0].end, alignment_mode="expand")
                if span is not None:
                    return span.root
        return None

    def previous_person(self, start: int):
        """A quotation standing alone after a paragraph that names one person: that person."""
        prev = self.art.previous_paragraph(start)
        if (
            prev is None
            or self.art.mentions_in(*prev)
            and any(self.art.in_quote(t.idx) for t in self.art.span_tokens(*prev))
        ):
            return None
        people = [t for t in self.art.span_tokens(*prev) if self.is_person(t) and not self.art.in_quote(t.idx)]
        return (
            people[-1]
            if people and len({t.text for t in people}) == 1 or people and people[-1].dep_ in ("nsubj", "appos")
            else None
        )

    def is_person(self, tok) -> bool:
        """Whether a token names a person (not a country, capital or institution)."""
        if tok.pos_ != "PROPN":
            return False
        if tok.ent_type_ == "PERSON":
            return True
        if tok.ent_type_ == "ACTOR":
            return tok.text in self.art.gazetteer.persons
        # The small model often calls a less famous name an organisation; someone who "said" is a person.
        return (
            tok.ent_type_ not in ("GPE", "LOC", "NORP", "DATE")
            and tok.dep_ == "nsubj"
            and tok.head.lemma_.lower() in SPEECH_VERBS
        )

    def according_to(self, start: int, end: int):
        """The object of 'according to' in the frame."""
        for tok in self.art.span_tokens(start, end):
            if tok.lower_ == "according" and tok.i + 1 < len(self.doc) and self.doc[tok.i + 1].lower_ == "to":
                for obj in self.doc[tok.i + 1].children:
                    if obj.dep_ == "pobj":
                        return obj
        return None

    def name_colon(self, start: int, end: int):
        """A name and a colon right before a quote, as in live blogs and readouts: "Peskov: ...",
        "From Kyiv: ...", "**09:40** — Zelensky: ..."; the name's last token."""
        lead = re.search(
            r"(?:^|[—–]\s*|\.\s+)(?:From\s+)?([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,4})\s*:\s*$",
            self.art.text[start:end],
        )
        if lead is None:
            return None
        toks = [t for t in self.art.span_tokens(start + lead.start(1), start + lead.end(1)) if t.is_alpha]
        named = [t for t in toks if t.ent_type_ in ("ACTOR", "PERSON", "GPE", "ORG", "NORP") or t.pos_ == "PROPN"]
        return (named or toks or [None])[-1]

    def colon_subject(self, start: int, end: int):
        """The subject of a clause ending in ':' right before a quote ("Peskov was blunt: ...")."""
        toks = [t for t in self.art.span_tokens(start, end) if start <= t.idx < end]
        if not toks or toks[-1].text != ":":
            return None
        for tok in toks:
            if tok.dep_ in ("nsubj", "nsubjpass") and (
                tok.ent_type_ in ("ACTOR", "PERSON", "ORG", "NORP", "GPE") or tok.pos_ in ("PROPN", "NOUN")
            ):
                return tok
        return None


def _resolve_actor(
    art: Article, head, written: str, description: str, quote_text: str, frame_start: int, described: dict[str, str]
) -> str | None:
    """The party a speaker speaks for, or None for an unaffiliated voice."""
    sub = list(head.subtree)
    s, e = sub[0].idx, sub[-1].idx + len(sub[-1])
    actors = [m.actor for m in art.mentions_in(s, e)]
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", description)}
    head_lemma = head.lemma_.lower()
    # A named person: the gazetteer knows them, or an earlier description of them does.
    if head.ent_type_ == "ACTOR" and head.ent_id_:
        return head.ent_id_
    if _foreign(art, written):
        return None  # "German Chancellor Friedrich Merz": a party the scenario does not have
    if not actors and written.lower().startswith("the ") and head_lemma in TITLES:
        found, actor = _title_antecedent(art, head)
        if found:
            return actor
        # "Kyiv also insists on ..., and the Foreign Ministry said": the party that is the subject before it.
        subjects = [
            m.actor
            for m in art.mentions_in(head.sent.start_char, head.idx, outside_quotes=True)
            if (t := art.doc.char_span(m.start, m.end, alignment_mode="expand")) is not None
            and t.root.dep_ in ("nsubj", "nsubjpass")
        ]
        if subjects:
            return subjects[-1]
    if head.pos_ == "PROPN" and not actors:
        extra = described.get(head.text)
        if not extra:
            return None  # a name nobody describes speaks for no party we know
        words |= {w.lower() for w in re.findall(r"[A-Za-z]+", extra)}
        actors = [
            actor
            for form, actor in art.gazetteer.forms.items()
            if re.search(r"(?<!\w)" + re.escape(form) + r"(?!\w)", extra)
        ]
    unaffiliated = (head_lemma in UNAFFILIATED or bool(words & UNAFFILIATED)) and not (words & PARTY_MARKERS)
    # "a former White House adviser now at the Brookings Institution" no longer speaks for the party.
    unaffiliated = unaffiliated or bool(words & {"former", "ex", "retired"})
    if unaffiliated:
        # An analyst who speaks as "we" about a party's affairs speaks for it.
        if actors and _WE.search(quote_text):
            return actors[0]
        return None
    if actors:
        return actors[0]
    if head.pos_ == "PROPN" and head_lemma not in TITLES:
        return None
    if any(t.ent_type_ in ("NORP", "GPE") for t in sub):
        return None  # "an Indian government official": a country the scenario does not have
    # "a military source": the party the paragraph is about.
    return _paragraph_party(art, frame_start)


def _foreign(art: Article, written: str) -> bool:
    """Whether the speaker's own words name a party the scenario does not have ("German", "Macron")."""
    known = art.gazetteer.forms
    for forms in AFFILIATIONS.values():
        for form in forms:
            if form not in known and re.search(r"(?<!\w)" + re.escape(form) + r"(?!\w)", written):
                return True
    return False


def _title_antecedent(art: Article, head) -> tuple[bool, str | None]:
    """(found, actor) for "the President", "the official": the last earlier holder of that title outside
    quotations within a few paragraphs, and the party in that phrase ("President of the Russian
    Federation V.V. Putin", "a senior administration official" after "In Washington,")."""
    lemma = head.lemma_.lower()
    doc = art.doc
    floor = max(0, head.idx - 2500)
    for tok in reversed(doc[max(0, head.i - 600) : head.i]):
        if tok.idx < floor:
            break
        if tok.lemma_.lower() != lemma or art.in_quote(tok.idx):
            continue
        lo = tok.left_edge.idx
        hi = tok.right_edge.idx + len(tok.right_edge)
        if tok.dep_ in ("compound", "appos", "nmod") or tok.head.pos_ == "PROPN":
            hi = max(hi, tok.head.idx + len(tok.head))  # "President ... Putin", "Secretary Rubio"
        named = art.mentions_in(lo, hi)
        if named:
            return True, named[0].actor
        if any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            continue  # another "the official": keep looking for where the person was introduced
        framing = art.mentions_in(tok.sent.start_char, lo, outside_quotes=True)
        if framing:
            return True, framing[-1].actor
        return True, _paragraph_party(art, lo)
    return False, None


_FRAME = re.compile(
    r"\s*(?:\*\*[^*]*\*\*\s*[—–-]\s*)?(?:In|From|At|Back in|Over in|Meanwhile in)\s+([^,:.]{2,40})[,:.]"
)


def _paragraph_party(art: Article, pos: int) -> str | None:
    """The party a paragraph is about up to pos: the place that frames it ("In Washington, ...", "From
    Kyiv: ..."), else the party named most often."""
    p0, _ = art.paragraph(pos)
    frame = _FRAME.match(art.text, p0)
    if frame:
        named = art.mentions_in(frame.start(1), frame.end(1))
        if named:
            return named[0].actor
    return art.main_actor(p0, pos) or art.main_actor(max(0, p0 - 600), pos)


def _descriptions(art: Article) -> dict[str, str]:
    """Surname -> words describing that person somewhere in the article (appositive or title)."""
    out: dict[str, str] = {}
    doc = art.doc
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG", "FAC"):  # the small model often mislabels less famous names
            continue
        last = ent[-1]
        parts = []
        left = [t for tok in ent for t in tok.lefts if t.i < ent.start]  # "Republican Lindsey Graham"
        if left:
            parts.append(doc[min(t.left_edge.i for t in left) : ent.start].text)
        for child in last.rights:
            if child.dep_ == "appos":
                parts.append(doc[child.left_edge.i : child.right_edge.i + 1].text)
        if parts:
            for key in (ent.text, last.text):
                out.setdefault(key, " ".join(parts))
    return out


def extract_quotes(art: Article) -> list[Quote]:
    """Every direct quotation with its speaker and the speaker's actor."""
    text = art.text
    spans = find_quote_spans(text)
    art.quote_spans = spans
    opens = [s - 1 for s, _ in spans]
    finder = _Speakers(art)
    described = _descriptions(art)
    quotes: list[Quote] = []
    prev_end = 0
    for s, e in spans:
        q = Quote(text=text[s:e], start=s, end=e)
        if _word_count(q.text) < MIN_WORDS:
            # Scare quotes and titles ("frozen conflict", “Great Reset”) are not speech.
            quotes.append(q)
            prev_end = e + 1
            continue
        p0, p1 = art.paragraph(s)
        after = _frame_after(text, e, p1, opens)
        floor = max(p0, prev_end if prev_end > p0 else p0)
        before = _frame_before(text, s, floor)
        frame_start = before[0]
        head = finder.governing_subject(s, e)
        if head is None:
            for verb in finder.verbs_in(*after):
                if re.search(r"\b(but|and|while|though|although|whereas|yet)\b", text[e : verb.idx]):
                    break  # a new clause: its verb is not this quote's attribution
                head = finder.subject(verb, after[0], after[1])
                if head is not None:
                    break
        if head is None:
            for verb in reversed(finder.verbs_in(*before)):
                head = finder.subject(verb, before[0], before[1])
                if head is not None:
                    break
        if head is None:
            head = finder.according_to(*after) or finder.according_to(*before) or finder.colon_subject(*before)
        if head is None:
            head = finder.name_colon(*before)
        alone = _word_count(text[p0:s]) <= 1 and _word_count(text[e:p1]) <= 1
        if head is None and alone:
            head = finder.lead_in(s)
        if head is not None and head.lower_ in _PRONOUNS:
            ante = finder.antecedent(head.idx)
            if ante is not None:
                head = ante
        if head is not None and (head.lower_ in _PRONOUNS or head.lower_ == "who"):
            prev = next((x for x in reversed(quotes) if x.speaker), None)
            if prev is not None:
                q.speaker, q.actor, q.head = prev.speaker, prev.actor, prev.head
        elif head is not None:
            written, description = finder.phrase(head)
            lemma = head.lemma_.lower()
            prev_same = next((x for x in reversed(quotes) if x.speaker and x.head == lemma), None)
            if (
                written.lower().startswith(("the ", "this ", "that "))
                and prev_same is not None
                and not art.mentions_in(head.left_edge.idx, head.right_edge.idx + 1)
            ):
                # "the analyst added": the analyst quoted before.
                q.speaker, q.actor, q.head = prev_same.speaker, prev_same.actor, prev_same.head
            else:
                # a trailer line "– Volodymyr Zelensky"; a lead-in "Peskov: ..." ends at its colon
                q.speaker = written.lstrip("–—- ").split(":")[0].strip()
                q.head = lemma
                q.actor = _resolve_actor(art, head, written, description, q.text, frame_start, described)
        elif any(x.speaker for x in quotes):
            prev = next(x for x in reversed(quotes) if x.speaker)
            gap = text[prev.end : max(prev.end, s - 1)]
            # Continuation: nothing but the previous quote's own attribution lies in between.
            if gap.count("\n") <= 1 and not finder.verbs_in(before[0], before[1]) and len(gap) < 200:
                if _word_count(text[before[0] : before[1]]) <= 3 or text[prev.end : s].count("\n") == 0:
                    q.speaker, q.actor, q.head = prev.speaker, prev.actor, prev.head
        if q.speaker is None and alone and head is None:
            person = finder.previous_person(s)
            if person is not None:
                written, description = finder.phrase(person)
                q.speaker, q.head = written, person.lemma_.lower()
                q.actor = _resolve_actor(art, person, written, description, q.text, frame_start, described)
        quotes.append(q)
        prev_end = e + 1
    return quotes
