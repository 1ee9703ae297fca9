"""The claims of an article, sentence by sentence: claimants, their clauses, the issues named, positions."""

from __future__ import annotations

from ...scenario.schema import Scenario
from ..article import Article
from ..lexicon import STANCE_NOUNS, STANCE_VERBS, lexicon_for
from ..quotes import Quote
from .claimants import (
    Frames,
    Voices,
    claimant_verb,
    colon_owner,
    person_before,
    pronoun_owner,
    reported,
    reported_by_named,
    stance_scope,
)
from .embedded import embed_links, embed_positions
from .polarity import (
    REPORTING,
    TURN,
    bare_position,
    clause,
    conditional,
    cue_position,
    idiom_position,
    join_clause,
)
from .quoted import quote_claims
from .record import Claim
from .sponsors import Sponsors

HEDGES = {"may", "might", "could", "would", "perhaps", "possibly", "likely", "reportedly"}


def extract_claims(art: Article, scenario: Scenario, quotes: list[Quote], encoder=None) -> list[Claim]:
    """Every claim in the article, one per (actor, issue, sentence)."""
    lexicons = [lexicon_for(i) for i in scenario.issues]
    issues = {i.id: i for i in scenario.issues}
    frames = Frames(art)
    voices = Voices(art)
    sponsors = Sponsors(art)
    leans = {(p.actor, p.issue): p.position for p in scenario.positions}
    doc = art.doc
    out: list[Claim] = []
    pending: list[tuple[int, str, int, int, str]] = []  # (claim index, issue, clause start, end, clause text)
    unlinked: list[tuple[int, int, list[tuple[str, object]]]] = []
    subject_before: tuple[int, str] | None = None  # (paragraph start, actor) of the last sentence's subject
    for sent in doc.sents:
        s0, s1 = sent.start_char, sent.end_char
        para = art.paragraph(s0)[0]
        carried = subject_before[1] if subject_before and subject_before[0] == para else None
        subject_before = None
        for tok in sent:
            if tok.dep_ == "nsubj" and tok.head.dep_ == "ROOT" and not art.in_quote(tok.idx):
                if tok.ent_type_ == "ACTOR" and tok.ent_id_:
                    subject_before = (para, tok.ent_id_)
                elif tok.lower_ in ("it", "they") and carried:
                    subject_before = (para, carried)
                break
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
            gov, _ = claimant_verb(span.root)
            if gov is not None and conditional(gov):
                continue  # "tariffs if Russia does not agree to a ceasefire": a condition set for Russia
            if gov is not None and all(not (a == m.actor and g is gov) for a, g in claimants):
                claimants.append((m.actor, gov))
        for tok in sent:
            # "its demands", "their insistence": the party named last before, outside quotations.
            if (
                tok.dep_ == "poss"
                and tok.lower_ in ("its", "their")
                and tok.head.lemma_.lower() in STANCE_NOUNS
                and tok.head.head.lemma_.lower() not in TURN
            ):  # "abandon its ambition": the abandoner's
                owner = pronoun_owner(art, tok)
                scope = stance_scope(tok.head)
                if owner and all(g is not scope for _, g in claimants):
                    claimants.append((owner, scope))
        for tok in sent:
            # "He ruled out ...": the person named or quoted just before.
            # Not "Trump said he would ...": there the pronoun is the reporting subject, whose clause holds it.
            if (
                tok.lower_ in ("he", "she")
                and tok.dep_ in ("nsubj", "nsubjpass")
                and not art.in_quote(tok.idx)
                and not reported_by_named(tok)
            ):
                owner = person_before(art, quotes, tok.idx)
                gov, _ = claimant_verb(tok)
                if owner and gov is not None and all(g is not gov for _, g in claimants):
                    claimants.append((owner, gov))
        for tok in sent:
            # "Kyiv will not withdraw .... It will not accept a cap ...": the party that was the subject of
            # the sentence before, in the same paragraph.
            if (
                carried
                and tok.lower_ in ("it", "they")
                and tok.dep_ == "nsubj"
                and tok.head.dep_ == "ROOT"
                and not art.in_quote(tok.idx)
                and all(g is not tok.head for _, g in claimants)
            ):
                claimants.append((carried, tok.head))
                break
        claimants += sponsors.claimants(sent, claimants)
        claimants += [(a, g) for a, g in voices.claimants(sent) if all(g is not h for _, h in claimants)]
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
        claimants = [(a, g) for a, g in claimants if g is None or not reported(g, claimants, a)]
        colon = colon_owner(sent, claimants)
        if colon is not None:
            # "the Kremlin's demands: Ukraine must ...": everything after the colon is the owner's.
            claimants = [(a, g) for a, g in claimants if g is None or g.i < colon[1] or a == colon[0]]
        govs = [g for _, g in claimants if g is not None]
        for actor, gov in claimants:
            owner = None
            if gov is not None:
                lo, hi, toks = clause(gov, govs)
                if colon is not None and gov.i < colon[1] and actor == colon[0]:
                    toks = sorted(set(toks) | set(range(colon[1], sent.end)))
                    hi = toks[-1]
                toks = [i for i in toks if not art.in_quote(doc[i].idx)] or toks
                c0, c1 = doc[lo].idx, doc[hi].idx + len(doc[hi])
                clause_text, owner = join_clause(doc, toks)
                if scope_start < s0:
                    label = art.text[scope_start:s0] + " "
                    clause_text = label + clause_text
                    owner = [-1] * len(label) + owner
                hedged = any(t.lower_ in HEDGES for t in doc[lo : hi + 1]) or frames.hedged(s0)
                strong = (gov.lemma_.lower() in STANCE_VERBS - REPORTING) or gov.lemma_.lower() in STANCE_NOUNS
            else:
                c0, c1, clause_text = scope_start, s1, scope_text
                hedged, strong = frames.hedged(s0), False
            for lex in hit:
                if not lex.keywords.search(clause_text):
                    continue
                pos = cue_position(lex, clause_text, doc, owner, gov, leans.get((actor, lex.issue)))
                if pos is None and strong and gov is not None:
                    pos = bare_position(lex, doc, toks, gov)
                if pos is None and gov is not None:
                    pos = idiom_position(lex, doc, toks)  # "said a ceasefire was not on the agenda"
                if pos is None and not strong:
                    continue  # the issue is only mentioned near the actor, not taken a position on
                conf = 0.55 + (0.2 if pos is not None else 0.0) + (0.1 if strong else 0.0) - (0.25 if hedged else 0.0)
                if frames.hedged(s0):
                    conf -= 0.2  # a list of possible scenarios lays out options, not anyone's position
                out.append(Claim(actor, lex.issue, pos, min(0.95, max(0.1, conf)), art.text[s0:s1], s0, s1))
                if pos is None:
                    pending.append((len(out) - 1, lex.issue, c0, c1, clause_text))
    out += quote_claims(art, quotes, lexicons)
    if encoder is not None:
        embed_positions(out, pending, issues, encoder)
        out += embed_links(art, unlinked, scenario, encoder)
    return dedupe(out)


def dedupe(claims: list[Claim]) -> list[Claim]:
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
