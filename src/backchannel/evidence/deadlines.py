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
    rf"|\b(?:expire[sd]?|expiring|ends?|runs? out|lapses?|falls? due)\s+(?P<rel>this weekend|next week|this week|"
    rf"on {_DAY}|(?:on )?{_MONTH}\.? \d{{1,2}}|at the end of (?:the|this) (?:week|month))"
    # "by Friday", "a deadline of August 8"
    rf"|\b(?:by|until|before|deadline of|deadline for|ultimatum of|deadline on)\s+(?P<rel2>{_DAY}|this weekend|"
    rf"next week|the end of (?:the|this) (?:week|month)|{_MONTH}\.? \d{{1,2}}|\d{{1,2}} {_MONTH}|"
    rf"thanksgiving|christmas|new year(?:'s)?(?: day| eve)?)",
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


def _relative_due(rel: str, published: dt.date | None) -> dt.date | None:
    """The date a relative time ("this weekend", "by Friday", "August 8") points to."""
    rel = rel.lower().removeprefix("on ").strip()
    if published is None:
        return None
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
        nxt = (published.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return nxt - dt.timedelta(days=1)
    if rel == "thanksgiving":  # the fourth Thursday of November
        first = dt.date(published.year, 11, 1)
        due = first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
        return due if due >= published else None
    if rel == "christmas":
        due = dt.date(published.year, 12, 25)
        return due if due >= published else due.replace(year=due.year + 1)
    if rel.startswith("new year"):
        return dt.date(published.year + 1, 1, 1) if not rel.endswith("eve") else dt.date(published.year, 12, 31)
    if rel in _WEEKDAYS:
        return published + dt.timedelta(days=(_WEEKDAYS.index(rel) - published.weekday()) % 7 or 7)
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


def extract_deadlines(art: Article) -> list[Deadline]:
    """Every time limit in the article."""
    out: list[Deadline] = []
    published = art.published
    last_unit = 1.0
    for sent in art.doc.sents:
        s0, s1 = sent.start_char, sent.end_char
        text = art.text[s0:s1]
        cue = bool(_CUE.search(text))
        if not cue and not _DEMAND.search(text):
            continue
        for m in _SPAN.finditer(text):
            days: int | None = None
            due = None
            tail = text[m.end() : m.end() + 12].lower()
            inherit = not re.match(_SETTERS, m.group(0), re.IGNORECASE)
            if m.group("num") and re.match(r"\s*(later|ago|earlier|after|since|before|of (fighting|talks|war))", tail):
                continue  # "two weeks later" is a time, not a time limit
            if not cue and not (m.group("rel") or m.group("rel2")):
                continue  # a number of days is a limit only with a deadline word; a date also when demanded by
            if not cue and m.group(0).lower().startswith("before"):
                continue  # "floated before Christmas" dates a past act; "by" a demand
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
                rel = m.group("rel") or m.group("rel2")
                due_date = _relative_due(rel, published)
                due = due_date.isoformat() if due_date else None
                if due_date is not None and published is not None:
                    days = (due_date - published).days
                if not re.search(
                    rf"deadline|ultimatum|expire|runs? out|or face|time limit|\b{_SETTERS}\b", text, re.IGNORECASE
                ) and not _DEMAND.search(text):
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
