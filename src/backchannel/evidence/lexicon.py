"""What words tie a sentence to an issue, and which way a phrase leans on the issue's scale.

Keys are common issue ids; the Ukraine scales run from 0 (Ukraine's / the West's maximal
position) to 100 (the maximal Russian demand). Cues are general phrasings of a position, not
sentences from any article. A scenario's other issues get keywords from their own name and
scale labels, and positions from sentence embeddings against those labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..scenario.schema import Issue

__all__ = ["IssueLexicon", "lexicon_for", "STANCE_VERBS", "REJECT_VERBS", "STANCE_NOUNS"]

#: Verbs by which an actor takes a position ("Moscow insists", "Kyiv rejected").
STANCE_VERBS = {
    "insist",
    "demand",
    "want",
    "seek",
    "push",
    "press",
    "call",
    "propose",
    "offer",
    "accept",
    "agree",
    "support",
    "back",
    "favor",
    "favour",
    "advocate",
    "urge",
    "require",
    "reject",
    "oppose",
    "refuse",
    "dismiss",
    "resist",
    "rule",
    "say",
    "view",
    "see",
    "question",
    "envision",
    "maintain",
    "aim",
    "pursue",
    "hope",
    "expect",
    "prefer",
    "endorse",
    "float",
    "suggest",
    "signal",
    "condition",
    "veto",
    "block",
    "welcome",
    "consider",
    "plan",
    "lock",
    "need",
    "ask",
}
#: Verbs that turn the position they govern around: rejecting a ceasefire is being against one.
REJECT_VERBS = {
    "reject",
    "oppose",
    "refuse",
    "dismiss",
    "resist",
    "veto",
    "block",
    "deny",
    "condemn",
    "decline",
    "denounce",
    "spurn",
    "rebuff",
    "scrap",
    "abandon",
}
#: Nouns whose possessor holds a position ("Moscow's objective", "Russia's insistence").
STANCE_NOUNS = {
    "objective",
    "goal",
    "aim",
    "demand",
    "position",
    "stance",
    "insistence",
    "view",
    "plan",
    "proposal",
    "condition",
    "terms",
    "push",
    "call",
    "desire",
    "interest",
    "strategy",
    "approach",
    "refusal",
    "rejection",
    "offer",
    "priority",
    "line",
    "perspective",
    "ambition",
    "wish",
    "vision",
    "agenda",
    "requirement",
    "precondition",
    "aspiration",
    "policy",
    "focus",
    "intention",
    "bid",
    "pledge",
    "opposition",
    "support",
    "rhetoric",
    "idea",
    "preference",
}


@dataclass(frozen=True)
class IssueLexicon:
    """Keywords that put a sentence on an issue and cues that place it on the scale."""

    issue: str
    keywords: re.Pattern
    cues: tuple[tuple[re.Pattern, float], ...]
    #: The issue named bare as the object of a stance verb ("rejects any ceasefire", "backs sanctions").
    bare: tuple[re.Pattern, float] | None = None


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


_W = r"[\s-]+(?:[\w’'.,]+[\s-]+){0,3}?"  # a gap of up to three words
#: A cap or size set for an army, up to its number: "caps Ukraine's army at ", "would remain at ", "an army of ".
_SIZE = (
    r"\b(?:caps?|capp\w*|limit\w*|remain\w*|keep\w*|reduc\w*|cut\w*|ceiling|shrink\w*|army|armed forces|troops)\b"
    r"[^.;]{0,40}?\b(?:at|of|to)\s+(?:about |around |some |roughly |up to |no more than )?"
)
_DEFAULTS: dict[str, tuple[str, list[tuple[str, float]]]] = {
    "territory": (
        r"\bterritor\w*|\bced(e|es|ed|ing)\b|\b(their|its|our|Ukrainian|Ukraine's|Ukraine’s|Russian) land\b"
        r"|\bland (for|swap)|\bDonbas+|\bDonetsk|\bLuhansk|\bZaporizh\w*|\bKherson|\bCrimea\w*|\boblasts?\b"
        r"|\bregions\b|\bannex\w*|\b1991 borders|line of contact|front ?lines?|\boccupied\b|\badvances\b"
        r"|\bcurrent lines?\b|\bfreez\w* (the )?(fighting|conflict|war)\b",
        [
            (
                r"\b(ced(e|es|ed|ing)|giv\w* up|gave up|surrender\w*|hand\w* over|relinquish\w*|gift\w*)\b"
                + _W
                + r"(territor\w*|land|regions?|Donbas+|Donetsk|Luhansk|Crimea|oblasts?)",
                85,
            ),
            (
                r"\b(trad\w*|swap\w*|exchang\w*)\b" + _W + r"(land|territor\w*)|\bland for (peace|a pause|a ceasefire)"
                r"|\bland swaps?\b",
                80,
            ),
            (
                r"\brecogni([sz]\w*|tion)\b" + _W + r"(Crimea|annex\w*|sovereignty|control|territor\w*|regions?"
                r"|new (territorial )?realities)",
                85,
            ),
            (r"\ball (four|4) (regions|oblasts)\b|\b(full|entire|whole|rest of( the)?) (Donbas+|Donetsk)", 90),
            (r"\bwithdraw\w*\b" + _W + r"(from )?(the )?(rest of )?(Donbas+|Donetsk|Kherson|Zaporizh\w*)", 85),
            (
                r"\b(territorial gains|additional regions|more territory|further advances|captured territor\w*"
                r"|military victor\w*)",
                75,
            ),
            (
                r"\b(keep|keeps|keeping|retain\w*|maintain\w*|hold\w*|lock\w*( in)?)\b"
                + _W
                + r"(control|gains|occupied|territor\w*|regions?)",
                70,
            ),
            (r"\b(prevent\w*|stop\w*|halt\w*|block\w*)" + _W + r"(further )?(\w+ )?advances", 45),
            (r"\b(freez\w*|frozen)\b|line of contact|current (front ?)?lines?|along the (current )?front", 55),
            (
                r"\b(Ukrain\w*|Kyiv)( (troops|forces|army|military))?( (must|to|should|would|will|shall))?"
                r" (withdraw\w*|leave|leaving|pull\w* out|retreat\w*)\b",
                90,
            ),
            (
                r"\b(Russia\w*|Moscow|occupying)( (troops|forces|army|military))?( (must|to|should|would|will|shall))?"
                r" (withdraw\w*|leave|leaving|pull\w* out|retreat\w*)\b",
                5,
            ),
            (r"\b1991 borders|territorial integrity|return of (all |the )?(occupied )?territor\w*", 5),
            (r"\b(withdrawal|withdraw\w*|pull\w* out)\b" + _W + r"(Russian|occupying) (troops|forces)", 5),
            (r"\b(never|not|refus\w*|won'?t|will not)\b" + _W + r"(cede|give up|recogni[sz]e|surrender)", 10),
        ],
    ),
    "nato": (
        # "NATO-country troops" are about security guarantees, not membership
        # nor is a guarantee "modelled on NATO's mutual defence clause"
        r"\bNATO\b(?![- ](countr\w*|troops|forces|members?'? (troops|forces|states)|allies|soldiers|style)"
        r"|[’']s (mutual|collective)[- ]defen[cs]e|[’']s Article 5)"
        r"|\balliance\b|\bmembership\b|\bneutral\w*|Finlandi[sz]ation|non-aligned|\baccession\b",
        [
            (r"\b(neutral|neutrality|non-aligned|non-bloc)\b", 90),
            (r"\b(outside|out of)\b" + _W + r"(the )?(alliance|NATO)", 95),
            (r"\b(halt|stop|prevent\w*|block\w*|no|end|ban\w*|against)\b" + _W + r"NATO (expansion|enlargement)", 95),
            (r"NATO (expansion|enlargement)" + _W + r"(threat|danger|red line|unacceptable)", 90),
            (r"\b(never|not|no)\b" + _W + r"(join\w*|membership|accession)", 90),
            (r"Finlandi[sz]ation", 85),
            (r"\baddress\w*\b.{0,50}\bNATO (expansion|enlargement)", 90),
            (
                r"\b(giv\w* up|gave up|abandon\w*|renounc\w*|drop\w*|forgo\w*|forego\w*)\b"
                + _W
                + r"(NATO )?(membership|ambitions?|bid|aspirations?)",
                90,
            ),
            (r"\bquestion\w*\b" + _W + r"(commitment|value|future|role) (to|of) NATO", 70),
            (
                r"\bjoin\w*\b"
                + _W
                + r"(NATO|the alliance)|\b(NATO )?membership\b"
                + _W
                + r"(safeguard|guarantee|goal|path|aspiration|bid)|\bpath to (NATO )?membership|\baccession\b"
                r"|open[- ]door|irreversible",
                10,
            ),
            (r"\b(path|road|way|door|route)\b" + _W + r"(to|into|towards) (NATO|the alliance|membership)", 10),
        ],
    ),
    "security_guarantees": (
        r"security guarantees?|\bguarantees?\b|peacekeep\w*|troops on the ground|reassurance force"
        r"|coalition of the willing|Article 5|security assurances|\b(troops|forces|soldiers|boots)\b"
        + _W
        + r"(in|on|to|into) (Ukraine|Ukrainian)|\bdeploy\w*\b"
        + _W
        + r"(troops|forces|peacekeepers|contingents?)"
        r"|\bforeign (troops|forces|contingents?)",
        [
            (
                r"\b(binding|robust|firm|strong|credible|ironclad|western|american|u\.s\.|european)\b"
                + _W
                + r"(security )?(guarantees?|assurances)",
                15,
            ),
            (r"peacekeep\w*|troops on the ground|reassurance force|coalition of the willing|Article 5", 15),
            (r"security guarantees? (for|to) Ukraine", 20),
            (
                r"\bdeploy\w*\b"
                + _W
                + r"(troops|forces|peacekeepers|soldiers|contingents?)|\b(troops|forces|boots)\b"
                + _W
                + r"(in|on|to|into) (Ukraine|Ukrainian)",
                15,
            ),
            (r"(guarantees?|assurances)\b.{0,40}\b(back\w*|backstop)\b|\bbackstop\b", 15),
            (r"(guarantees?|assurances) from (the )?(US|U\.S\.|United States|West|Western|NATO|Europe|allies)", 15),
            # predicative: "guarantees must be real", "guarantees that actually work"
            (
                r"(guarantees?|assurances)\b" + _W + r"(must|should|need to|has to|have to) (be )?"
                r"(real|binding|robust|firm|strong|credible|ironclad|effective|work)",
                15,
            ),
            # a party helping to guarantee: a guarantor, though not necessarily with its own troops
            (r"\b(help\w*|commit\w*|offer\w*|provid\w*|ready|willing|prepared)\b" + _W + r"guarantee\b", 25),
            (
                r"\b(no|without|reject\w*|oppos\w*|unacceptable)\b"
                + _W
                + r"(foreign|western|european|NATO|british|french) (troops|forces|peacekeepers|soldiers)",
                90,
            ),
            (r"\b(no|without)\b" + _W + r"(guarantees?|assurances)", 85),
            (
                r"\b(troops|forces|peacekeepers|soldiers|boots)\b.{0,60}\b(threat|unacceptable|red line|legitimate targets?|"
                r"not on the table)",
                90,
            ),
        ],
    ),
    "military_limits": (
        r"demilitari[sz]\w*|\bdisarm\w*|\barmed forces\b|\barmy\b|\bcaps?\b (on|at)|\blimits? on\b|long-range weapons"
        r"|\b\d{3}[,.]?000 (troops|soldiers|personnel)\b",
        [
            (r"demilitari[sz]\w*|\bdisarm\w*", 90),
            (
                r"\b(caps?|capp\w*|limits?|limiting|reduc\w*|restrict\w*|shrink\w*)\b"
                + _W
                + r"(army|armed forces|military|troops|weapons|forces)",
                80,
            ),
            (r"\b(no|without|reject\w*)\b" + _W + r"(limits?|caps?|restrictions?)", 10),
            (r"\b(strong|rearm\w*|arm(ing)? Ukraine|weapons? deliver\w*|military aid)\b", 15),
            (r"\bstrengthen\w*" + _W + r"(army|armed forces|military|defen[cs]es)", 10),
            # a size for Ukraine's army (about 900,000 serve today): the smaller, the nearer demilitarisation
            (_SIZE + r"(?:[1-4]\d\d|50\d)[,.]?000\b", 85),
            (_SIZE + r"(?:5[1-9]\d|6\d\d)[,.]?000\b", 60),
            (_SIZE + r"7\d\d[,.]?000\b", 40),
            (_SIZE + r"8\d\d[,.]?000\b", 30),
        ],
    ),
    "sanctions": (
        r"\bsanction\w*|\btariffs?\b|\bembargo\w*|frozen assets|asset freeze|price cap|economic (pressure|screws)"
        r"|restrictive measures|\brelief for (Moscow|Russia|the Kremlin)\b",
        [
            (
                r"\b(lift\w*|eas\w*|relief|remov\w*|roll\w* back|drop\w*|unfreez\w*|relax\w*|suspend\w*)\b"
                + _W
                + r"sanction\w*|sanction\w* (relief|eas\w*|lift\w*)|sanction\w* ((would|will|could|should|to|may) )?(are|were|be|being) "
                r"(eased|lifted|removed)",
                80,
            ),
            (
                r"\b(lift\w*|eas\w*|remov\w*)\b"
                + _W
                + r"restrictive measures|\brelief for (Moscow|Russia|the Kremlin)\b",
                85,
            ),
            (r"\bno (sanctions? )?relief\b( for (Moscow|Russia|the Kremlin))?", 5),
            (
                r"\b(impos\w*|new|tough\w*|more|additional|secondary|tighten\w*|harsh\w*|sweeping|expand\w*"
                r"|maintain\w*|keep\w*|extend\w*|threaten\w*)\b" + _W + r"(sanction\w*|tariffs?|embargo)",
                10,
            ),
            (r"tighten\w*" + _W + r"(economic )?screws|economic pressure", 15),
            (r"sanction\w*\b" + _W + r"(must|should|will|would|to|shall) (stay|remain)", 5),
            (r"\b(package|round|wave|tranche)s? of (new |fresh |further |additional )?sanctions", 10),
            (r"sanction\w*\b" + _W + r"(unfriendly|illegal|illegitimate|unlawful)", 90),
        ],
    ),
    "ceasefire": (
        r"cease-?fire|\btruce\b|\barmistice\b|cessation of hostilities|halt (to )?(the )?(fighting|hostilities)"
        r"|\b(stop|end)\w* (the )?(fighting|shooting|war)\b|\bkeep fighting\b",
        [
            (
                r"\b(immediate|unconditional|full|comprehensive|\d+-day|thirty-day|general)\b"
                + _W
                + r"(cease-?fire|truce)",
                15,
            ),
            (
                r"\b(push\w*|call\w*|press\w*|propos\w*|agree\w*|accept\w*|support\w*|back\w*|want\w*|seek\w*|urg\w*"
                r"|demand\w*)\b" + _W + r"(cease-?fire|truce|cessation of hostilities|halt)",
                25,
            ),
            (
                r"\b(no|premature|any)\b"
                + _W
                + r"(cease-?fire|truce)"
                + r"(?=.*\b(defeat|fatal|mistake|unacceptable|trap)\b)",
                90,
            ),
            (r"(cease-?fire|truce)" + r".{0,80}\b(defeat|fatal|mistake|unacceptable|trap|regroup|rearm)", 90),
            (
                r"(cease-?fire|truce)\b" + _W + r"(must|should|has to|to) (come|be agreed|take effect|happen) first"
                r"|(cease-?fire|truce) first\b",
                10,
            ),
            (r"\b(not|never|un)\w*\s+(ready|willing|prepared|interested)\b.{0,30}(cease-?fire|truce)", 85),
            (r"\b(ready|willing|prepared)\b (for|to (accept|agree to|sign)) (a |an )?(\w+ )?(cease-?fire|truce)", 15),
            (r"\bbefore (any|a) (cease-?fire|truce)", 85),
            (
                r"\b(no|not)\b"
                + _W
                + r"(cease-?fire|truce)|(cease-?fire|truce|halt to (the )?hostilities)"
                + _W
                + r"only after|\buntil\b"
                + _W
                + r"(settlement|victory|agreement)",
                85,
            ),
            (r"\bkeep fighting\b|\bfight on\b|\buntil (its|their|our) (conditions|demands|goals) (are|were) met", 90),
        ],
    ),
    "elections": (
        r"\belections?\b|\bvote\b|\blegitima\w*|\billegitimate\b|\bpolls\b",
        [
            (
                r"\b(calls?|call\w*|demand\w*|push\w*|press\w*|new|fresh|early|hold\w*|require\w*)\b"
                + _W
                + r"elections?",
                85,
            ),
            (r"\billegitimate\b|\blegitimacy\b|mandate (has )?expired", 85),
            (r"\belections?\b[^.;]{0,40}\b(needed|required|necessary|a (pre)?condition)\b", 85),
            (
                r"\b(no|postpon\w*|delay\w*|cannot|can't|impossible)\b"
                + _W
                + r"elections?|elections?\b"
                + _W
                + r"(cannot|can't|could not|won't|will not|impossible to) be held",
                15,
            ),
        ],
    ),
}
#: What embracing the bare issue means on its scale; rejecting it turns the value around.
_BARE: dict[str, tuple[str, float]] = {
    "ceasefire": (r"cease-?fire|truce|armistice", 20),
    "sanctions": (r"sanction\w*|tariffs?", 10),
    "elections": (r"elections?", 85),
    "security_guarantees": (r"(security )?guarantees?|peacekeep\w*", 15),
    "nato": (r"(NATO )?membership|accession", 10),
    "military_limits": (r"(caps?|limits?) on", 85),
}
_STOP = {
    "the",
    "of",
    "and",
    "or",
    "on",
    "in",
    "to",
    "for",
    "a",
    "an",
    "with",
    "by",
    "from",
    "vs",
    "no",
    "all",
    "its",
    "at",
    "as",
    "be",
    "is",
    "are",
    "until",
    "into",
    "over",
    "under",
    "new",
    "issue",
}


def _generic(issue: Issue) -> IssueLexicon:
    """Keywords from an issue's own id, name and scale labels; positions come from embeddings."""
    words = {issue.id.replace("_", " ")}
    for text in (issue.name, *issue.scale.values()):
        words |= {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]{3,}", text or "") if w.lower() not in _STOP}
    pattern = "|".join(r"\b" + re.escape(w) for w in sorted(words, key=len, reverse=True))
    return IssueLexicon(issue.id, _rx(pattern), ())


def lexicon_for(issue: Issue) -> IssueLexicon:
    """The lexicon of one issue: the built-in one for known ids, else one made from the issue."""
    if issue.id in _DEFAULTS:
        kw, cues = _DEFAULTS[issue.id]
        bare = _BARE.get(issue.id)
        return IssueLexicon(
            issue.id,
            _rx(kw),
            tuple((_rx(p), float(v)) for p, v in cues),
            (_rx(bare[0]), float(bare[1])) if bare else None,
        )
    return _generic(issue)
