"""Deadlines and ultimatums: how many days, when they fall due, who set them and at whom."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .article import Article

__all__ = ["Deadline", "extract_deadlines", "parse_number"]

_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a": 1,
    "an": 1,
    "a few": 3,
}
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
_NUM = rf"(?:\d{{1,3}}|{_TENS}(?:[- ]{_UNITS})?|{_UNITS}|{_TEENS}|a|an)"
_UNIT_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30, "hour": 1 / 24, "hours": 1 / 24}
_SETTERS = (
    r"(?:gave|give[sn]?|giving|grant(?:s|ed|ing)?|set(?:s|ting)?|shorten(?:s|ed|ing)?|cut(?:s|ting)?|"
    r"extend(?:s|ed|ing)?|issu(?:e|es|ed|ing)|impos(?:e|es|ed|ing)|offer(?:s|ed|ing)?|allow(?:s|ed|ing)?|"
    r"reduc(?:e|es|ed|ing))"
)
_CUE = re.compile(
    r"\b(deadline|ultimatum|time limit|window|expire[sd]?|expiring|runs? out|or face|gave|give[sn]?|"
    r"grant\w*|within|until|by the end of|due)\b"
    # "they have three weeks to wind down"
    rf"|\b(?:have|has|had)\s+(?:only\s+|just\s+)?{_NUM}[- ](?:days?|weeks?|months?|hours?)\s+to\b",
    re.IGNORECASE,
)
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*"
_SPAN = re.compile(
    # "gave the Kremlin 50 days", "a 50-day deadline", "within 48 hours"
    rf"(?:\b{_SETTERS}\s+(?:[\w’'.-]+\s+){{0,4}}?)?\b(?P<num>{_NUM})[- ](?P<unit>days?|weeks?|months?|hours?)\b"
    # "shortening the deadline to just ten"
    rf"|\b(?:deadline|ultimatum|window|time limit)\s+(?:[\w’'.-]+\s+){{0,3}}?to\s+(?:just\s+|only\s+)?"
    rf"(?P<num2>{_NUM})\b(?![- ]?(?:per ?cent|%))"
    # "expires this weekend", "runs out on Friday"
    rf"|\b(?P<verb>expire[sd]?|expiring|ends?|ended|runs? out|ran out|lapse[sd]?|falls? due|fell due)\s+(?P<rel>this weekend|next week|this week|"
    rf"on {_DAY}|(?:on )?{_MONTH}\.? \d{{1,2}}|at the end of (?:the|this) (?:week|month))"
    # "by Friday", "no later than December 2", "starting on Monday", "a deadline of August 8"
    rf"|\b(?:by|until|before|no later than|not later than|starting(?: on)?|beginning(?: on)?|deadline of|"
    rf"deadline for|ultimatum of|deadline on|deadline (?:is|was|falls on))\s+(?P<rel2>(?:next |this )?{_DAY}|"
    rf"this weekend|next week|the end of (?:the|this|next) (?:week|month|year)|the end of {_MONTH}|"
    rf"{_MONTH}\.? \d{{1,2}}(?:st|nd|rd|th)?\b|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH}|"
    rf"thanksgiving|christmas|new year(?:'s)?(?: day| eve)?)"
    # "has set itself January 15 as the date to finalise", "with March 1 as the deadline"
    rf"|\b(?P<rel3>{_MONTH}\.? \d{{1,2}}|\d{{1,2}} {_MONTH})(?=\s+as\s+(?:the|a|its|their)\s+"
    rf"(?:\w+\s+)?(?:date|deadline|target|cut-?off)\b)",
    re.IGNORECASE,
)
#: A date is a time limit, not just a time, when someone wants something done by then: "unless Moscow
#: agreed to a ceasefire by January 15", "wants Russia to agree by Friday", "expects an answer by the end
#: of the month".
_DEMAND = re.compile(
    r"\b(unless|or else|must|demand\w*|wants?|wanted|expects?|expected|insist\w*|urg\w+|"
    r"answer|reply|respond|response|decide|decision|agree[sd]?|accept\w*|sign\w*)\b",
    re.IGNORECASE,
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


@dataclass
class Deadline:
    """A time limit: the words, days given, the due date, setter and target."""

    text: str
    start: int
    end: int
    days: int | None
    due: str | None
    actor: str | None
    target: str | None

    def to_dict(self) -> dict:
        """The JSON record of the issue's contract."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "days": self.days,
            "due": self.due,
            "actor": self.actor,
            "target": self.target,
        }


def parse_number(word: str) -> int | None:
    """An integer from digits or English number words ("fifty", "twenty-one")."""
    word = word.lower().strip()
    if word.isdigit():
        return int(word)
    if word in _NUMBERS:
        return _NUMBERS[word]
    parts = re.split(r"[- ]", word)
    if len(parts) == 2 and parts[0] in _NUMBERS and parts[1] in _NUMBERS:
        return _NUMBERS[parts[0]] + _NUMBERS[parts[1]]
    return None


def _month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _relative_due(rel: str, published: dt.date | None, past: bool = False) -> dt.date | None:
    """The date a relative time ("this weekend", "by Friday", "August 8") points to; ``past`` for a
    limit that has already run out ("expired on Monday": the latest Monday up to the article's date)."""
    rel = re.sub(r"(?<=\d)(?:st|nd|rd|th)?(?: of)?(?= [a-z])|(?<=\d)(?:st|nd|rd|th)$", "", rel.lower())
    rel = rel.removeprefix("on ").strip()
    if published is None:
        return None
    day_name = rel.removeprefix("next ").removeprefix("this ")
    if day_name in _WEEKDAYS:
        ahead = (_WEEKDAYS.index(day_name) - published.weekday()) % 7
        if past:
            return published - dt.timedelta(days=(7 - ahead) % 7)
        return published + dt.timedelta(days=ahead or 7)
    if rel.endswith("end of the year") or rel.endswith("end of this year"):
        return dt.date(published.year, 12, 31)
    if rel.endswith("end of next year"):
        return dt.date(published.year + 1, 12, 31)
    if rel.endswith("end of next month"):
        return _month_end(_month_end(published) + dt.timedelta(days=1))
    if rel.endswith("end of next week"):
        return published + dt.timedelta(days=(4 - published.weekday()) % 7 + 7)
    end_of = re.match(r"the end of ([a-z]+)$", rel)
    if end_of and end_of.group(1)[:3] in _MONTHS:
        due = _month_end(dt.date(published.year, _MONTHS.index(end_of.group(1)[:3]) + 1, 1))
        return due if due >= published else _month_end(due.replace(year=due.year + 1, day=1))
    if rel == "this weekend":
        return published + dt.timedelta(days=(6 - published.weekday()) % 7)
    if rel in (
        "this week",
        "the end of the week",
        "the end of this week",
        "at the end of the week",
        "at the end of this week",
    ):
        return published + dt.timedelta(days=(4 - published.weekday()) % 7)
    if rel == "next week":
        return published + dt.timedelta(days=7 - published.weekday())
    if rel.endswith("of the month") or rel.endswith("of this month"):
        return _month_end(published)
    if rel == "thanksgiving":  # the fourth Thursday of November
        first = dt.date(published.year, 11, 1)
        due = first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
        return due if due >= published else None
    if rel == "christmas":
        due = dt.date(published.year, 12, 25)
        return due if due >= published else due.replace(year=due.year + 1)
    if rel.startswith("new year"):
        return dt.date(published.year + 1, 1, 1) if not rel.endswith("eve") else dt.date(published.year, 12, 31)
    m = re.match(r"([a-z]+)\.? (\d{1,2})$", rel) or re.match(r"(\d{1,2}) ([a-z]+)$", rel)
    if m:
        month, day = (m.group(1), m.group(2)) if m.group(1).isalpha() else (m.group(2), m.group(1))
        if month[:3] in _MONTHS:
            try:
                due = dt.date(published.year, _MONTHS.index(month[:3]) + 1, int(day))
            except ValueError:
                return None
            return due if due >= published else due.replace(year=due.year + 1)
    return None


def _parties(art: Article, s0: int, s1: int, m0: int, m1: int) -> tuple[str | None, str | None]:
    """Setter and target: the subject of the sentence's verb and the party the limit is aimed at."""
    setter = target = None
    mentions = art.mentions_in(s0, s1, outside_quotes=False)
    for m in mentions:
        tok = art.doc.char_span(m.start, m.end, alignment_mode="expand")
        if tok is None:
            continue
        root = tok.root
        while root.dep_ in ("compound", "conj", "appos", "amod") and root.head.i != root.i:
            root = root.head
        if root.dep_ in ("nsubj",) and setter is None and root.head.lemma_ not in ("have", "face"):
            setter = m.actor
        elif root.dep_ == "poss" and root.head.lower_ in ("deadline", "ultimatum") and setter is None:
            setter = m.actor
        elif (
            root.dep_ in ("dative", "dobj", "iobj", "pobj", "nsubj", "nsubjpass")
            and target is None
            and m.actor != setter
        ):
            if m0 - 80 <= m.start <= m1 + 80 or root.dep_ in ("dative", "iobj"):
                target = m.actor
    if target is None and setter is not None:
        others = [m.actor for m in mentions if m.actor != setter]
        target = others[0] if others else None
    return setter, target


_MODALS = {"will", "would", "'ll", "shall", "must", "should", "can", "could", "may", "might", "'d"}
_STRONG = re.compile(rf"deadline|ultimatum|expire|runs? out|or face|time limit|\b{_SETTERS}\b", re.IGNORECASE)


def _ahead(art: Article, pos: int) -> bool:
    """Whether the verb a time phrase at ``pos`` belongs to speaks of something still to be done: a bare
    infinitive or imperative ("to deliver ... by Friday", "approve it by the end of the year") or a verb
    under a modal ("would meet ... before the end of the month"), not a past or present act."""
    span = art.doc.char_span(pos, pos + 1, alignment_mode="expand")
    if span is None or not len(span):
        return False
    tok = span[0]
    for _ in range(4):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    auxes = [c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")]
    if any(a in _MODALS for a in auxes) or "going" in auxes:
        return True
    return tok.tag_ == "VB" and not any(a in ("do", "does", "did") for a in auxes)


def extract_deadlines(art: Article) -> list[Deadline]:
    """Every time limit in the article."""
    out: list[Deadline] = []
    published = art.published
    last_unit = 1.0
    for sent in art.doc.sents:
        s0, s1 = sent.start_char, sent.end_char
        text = art.text[s0:s1]
        cue = bool(_CUE.search(text))
        demand = bool(_DEMAND.search(text))
        for m in _SPAN.finditer(text):
            days: int | None = None
            due = None
            tail = text[m.end() : m.end() + 12].lower()
            inherit = not re.match(_SETTERS, m.group(0), re.IGNORECASE)
            if m.group("num") and re.match(r"\s*(later|ago|earlier|after|since|before|of (fighting|talks|war))", tail):
                continue  # "two weeks later" is a time, not a time limit
            date = m.group("rel") or m.group("rel2")
            if m.group("num") and not cue:
                # A number of days is a limit only with a deadline word, or as "in 50 days" in a demand
                # ("unless Moscow agreed to end the war in 50 days").
                if not (demand and re.search(r"\bin\s+$", text[: m.start()])):
                    continue
            elif m.group("num2") and not cue:
                continue
            elif date and not (cue or demand):
                # A date without a deadline word is a limit when the act it bounds is still to come:
                # "called on allies to deliver more air defence by Friday".
                if not m.group("rel2") or not _ahead(art, s0 + m.start()):
                    continue
            if date and not cue and m.group(0).lower().startswith("before") and not _ahead(art, s0 + m.start()):
                continue  # "floated before Christmas" dates a past act; "would meet before the end of the month" not
            if m.group("num"):
                n = parse_number(m.group("num"))
                unit = _UNIT_DAYS[m.group("unit").lower()]
                # "a 50-day deadline", "gave Russia 12 days": only with a deadline word near.
                if n is None:
                    continue
                last_unit = unit
                days = max(1, round(n * unit)) if unit < 1 else int(n * unit)
            elif m.group("num2"):
                n = parse_number(m.group("num2"))
                if n is None:
                    continue
                days = int(n * last_unit)
            else:
                rel = date or m.group("rel3")
                past = bool(m.group("verb")) and m.group("verb").lower() in (
                    "expired",
                    "ended",
                    "ran out",
                    "lapsed",
                    "fell due",
                )
                due_date = _relative_due(rel, published, past=past)
                due = due_date.isoformat() if due_date else None
                if due_date is not None and published is not None:
                    days = (due_date - published).days
                if (
                    date
                    and not _STRONG.search(text)
                    and not demand
                    and not (m.group("rel2") and _ahead(art, s0 + m.start()))
                ):
                    continue
            if days is not None and published is not None and due is None:
                due = (published + dt.timedelta(days=days)).isoformat()
            a, b = s0 + m.start(), s0 + m.end()
            setter, target = _parties(art, s0, s1, a, b)
            own_verb = re.search(rf"\b{_SETTERS}\b", text, re.IGNORECASE) and not m.group("num2")
            if inherit and out and not m.group("num") and (setter is None or not own_verb):
                # "shortening the deadline to just ten", "the ultimatum expires": the limit set before.
                setter, target = out[-1].actor, out[-1].target
            out.append(Deadline(art.text[a:b], a, b, days, due, setter, target))
    return out
