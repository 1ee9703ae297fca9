"""The actor gazetteer: every way a text names an actor of the scenario.

Built from each actor's id, name and aliases, plus general knowledge of how news refers to
well-known parties (demonyms, capitals, seats of government, officials). The general table
is used only for actors the scenario has, matched by id or name, so any scenario works and
the Ukraine one gets a wide net.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..scenario.schema import Scenario

__all__ = ["Gazetteer", "AFFILIATIONS", "build_gazetteer"]

#: Words that tie a phrase to a party: "a senior Kremlin source", "Russian officials", "Kyiv".
#: Keys are common actor ids or lower-case names.
AFFILIATIONS: dict[str, tuple[str, ...]] = {
    "russia": (
        "Russia",
        "Russian",
        "Russians",
        "Kremlin",
        "Moscow",
        "Putin",
        "Vladimir Putin",
        "Peskov",
        "Dmitry Peskov",
        "Lavrov",
        "Sergei Lavrov",
        "Ushakov",
        "Yuri Ushakov",
        "Dmitriev",
        "Kirill Dmitriev",
        "Medvedev",
        "Dmitry Medvedev",
        "Zakharova",
        "Maria Zakharova",
        "Medinsky",
        "Vladimir Medinsky",
        "Shoigu",
        "Belousov",
        "Gerasimov",
        "Ryabkov",
        "Nebenzya",
        "Russian Federation",
        "Russian Foreign Ministry",
        "Russian Defense Ministry",
        # the parliament and its chambers
        "State Duma",
        "Duma",
        "Federation Council",
    ),
    "usa": (
        "United States",
        "U.S.",
        "US",
        "USA",
        "America",
        "American",
        "Americans",
        "Washington",
        "White House",
        "Pentagon",
        "State Department",
        "Trump",
        "Donald Trump",
        "Vance",
        "JD Vance",
        "J.D. Vance",
        "Rubio",
        "Marco Rubio",
        "Witkoff",
        "Steve Witkoff",
        "Kellogg",
        "Keith Kellogg",
        "Hegseth",
        "Pete Hegseth",
        "Waltz",
        "Mike Waltz",
        "Kushner",
        "Jared Kushner",
        "Driscoll",
        "Dan Driscoll",
        "Bessent",
        "Scott Bessent",
        "Leavitt",
        "Karoline Leavitt",
        "Biden",
        "Biden administration",
        "Trump administration",
        "Congress",
        "U.S. Congress",
        "Senate",
        "U.S. Senate",
        "Capitol Hill",
        "Republican",
        "Republicans",
        "Democrat",
        "Democrats",
        "GOP",
    ),
    "ukraine": (
        "Ukraine",
        "Ukrainian",
        "Ukrainians",
        "Kyiv",
        "Kiev",
        "Zelensky",
        "Zelenskyy",
        "Volodymyr Zelensky",
        "Volodymyr Zelenskyy",
        "Yermak",
        "Andriy Yermak",
        "Umerov",
        "Rustem Umerov",
        "Sybiha",
        "Andrii Sybiha",
        "Budanov",
        "Syrskyi",
        "Svyrydenko",
        "Kuleba",
        "Shmyhal",
        "Verkhovna Rada",
        "Rada",
    ),
    "eu": (
        "European Union",
        "EU",
        "E.U.",
        "Brussels",
        "European Commission",
        "European Council",
        "European",
        "Europeans",
        "von der Leyen",
        "Ursula von der Leyen",
        "Kallas",
        "Kaja Kallas",
        "Costa",
        "Antonio Costa",
        "European Parliament",
    ),
    "uk": (
        "United Kingdom",
        "UK",
        "U.K.",
        "Britain",
        "British",
        "London",
        "Downing Street",
        "Starmer",
        "Keir Starmer",
        "Lammy",
        "David Lammy",
        "Healey",
        "John Healey",
        "House of Commons",
        "House of Lords",
        "Whitehall",
        "Foreign Secretary",
    ),
    "france": ("France", "French", "Paris", "Elysee", "Élysée", "Macron", "Emmanuel Macron", "Barrot"),
    "germany": (
        "Germany",
        "German",
        "Germans",
        "Berlin",
        "Merz",
        "Friedrich Merz",
        "Scholz",
        "Olaf Scholz",
        "Wadephul",
        "Pistorius",
        "Bundestag",
    ),
    "china": ("China", "Chinese", "Beijing", "Xi", "Xi Jinping", "Wang Yi"),
    "nato": ("NATO", "North Atlantic Treaty Organization", "Rutte", "Mark Rutte", "Stoltenberg"),
    "turkey": (
        "Turkey",
        "Türkiye",
        "Turkiye",
        "Turkish",
        "Ankara",
        "Istanbul",
        "Erdogan",
        "Erdoğan",
        "Recep Tayyip Erdogan",
        "Fidan",
        "Hakan Fidan",
    ),
    "india": ("India", "Indian", "New Delhi", "Delhi", "Modi", "Narendra Modi", "Jaishankar"),
}
_NAME_TO_KEY = {
    "united states": "usa",
    "us": "usa",
    "america": "usa",
    "russian federation": "russia",
    "european union": "eu",
    "united kingdom": "uk",
    "britain": "uk",
    "türkiye": "turkey",
}

#: Surface forms that are only affiliations (adjectives), never a party acting on its own.
DEMONYM_SUFFIXES = ("ian", "ians", "ish", "ese", "can", "cans", "ean", "eans")


@dataclass(frozen=True)
class Gazetteer:
    """Surface form -> actor id, for the actors of one scenario."""

    forms: dict[str, str]
    persons: frozenset[str] = frozenset()

    def actor_of(self, phrase: str) -> str | None:
        """The actor a phrase names (exact surface form), if any."""
        return self.forms.get(phrase) or self.forms.get(phrase.strip())

    def patterns(self) -> list[dict]:
        """spaCy EntityRuler patterns, one per surface form, labelled ACTOR with the actor id."""
        out = []
        for form, actor in self.forms.items():
            out.append({"label": "ACTOR", "pattern": form, "id": actor})
            if form.isupper() or any(c.isupper() for c in form[1:]):
                continue
            if form[:1].isupper() and " " not in form:
                continue
            out.append({"label": "ACTOR", "pattern": form.title(), "id": actor})
        return out


def _key(actor) -> str | None:
    if actor.id.lower() in AFFILIATIONS:
        return actor.id.lower()
    return (
        _NAME_TO_KEY.get(actor.name.lower())
        or _NAME_TO_KEY.get(actor.id.lower())
        or (actor.name.lower() if actor.name.lower() in AFFILIATIONS else None)
    )


def build_gazetteer(scenario: Scenario) -> Gazetteer:
    """The gazetteer of a scenario: its own names first, the general table after."""
    forms: dict[str, str] = {}
    general: dict[str, str] = {}
    for actor in scenario.actors:
        for form in (actor.name, *actor.aliases):
            if form and form.strip():
                forms.setdefault(form.strip(), actor.id)
        if len(actor.id) > 2 or actor.id.upper() == actor.id:
            # Short lower-case ids ("us", "uk") would match ordinary words; the general table covers them.
            forms.setdefault(actor.id if not actor.id.islower() else actor.id.capitalize(), actor.id)
        key = _key(actor)
        for form in AFFILIATIONS.get(key, ()) if key else ():
            general.setdefault(form, actor.id)
    for form, actor in general.items():
        forms.setdefault(form, actor)
    return Gazetteer(forms, _persons(forms))


_NOT_FIRST_NAMES = {
    "New",
    "White",
    "European",
    "United",
    "State",
    "Russian",
    "North",
    "Downing",
    "Verkhovna",
    "Trump",
    "Biden",
    "Defense",
    "Foreign",
    "Wang",
    "U.S.",
    "Capitol",
    "Federation",
    "House",
}


def _persons(forms: dict[str, str]) -> frozenset[str]:
    """Forms that name people: full names ("Dmitry Peskov") and their surnames."""
    out = set()
    for form in forms:
        words = form.split()
        if len(words) in (2, 3) and all(w[:1].isupper() for w in words) and words[0] not in _NOT_FIRST_NAMES:
            out.add(form)
            out.add(words[-1])
    return frozenset(out)
