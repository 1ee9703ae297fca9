"""Turning a document into evidence linked to a scenario: the ``--json`` record of the issue."""

from __future__ import annotations

from dataclasses import dataclass

from ..scenario.schema import Scenario
from .article import analyse
from .claims import extract_claims
from .deadlines import extract_deadlines
from .documents import Document
from .events import extract_events
from .gazetteer import build_gazetteer
from .pipeline import with_gazetteer
from .quotes import extract_quotes
from .unmatched import issue_sentences, unmatched_names

__all__ = ["Extractor", "extract_document"]


@dataclass
class Extractor:
    """Holds the loaded models for one scenario; ``extract`` is then a pure function of the document."""

    scenario: Scenario
    embeddings: bool = True
    local_model: object = None  # a local_model.ClaimBackend; None: rules only (the default)

    def __post_init__(self) -> None:
        self.gazetteer = build_gazetteer(self.scenario)
        self.nlp = with_gazetteer(self.gazetteer)
        self._encoder = None

    @property
    def encoder(self):
        """The sentence encoder, loaded on first use (only paraphrases need it)."""
        if self._encoder is None and self.embeddings:
            from .embeddings import load_encoder

            self._encoder = load_encoder()
        return self._encoder

    def extract(self, doc: Document) -> dict:
        """Mentions, quotes, claims, deadlines and events of one document, as the JSON contract."""
        return self.extract_with_names(doc)[0]

    def extract_with_names(self, doc: Document) -> tuple[dict, list[dict]]:
        """The record of ``extract`` and the names near its claims and issue sentences that match no actor
        (``[{"name", "count"}]``: alias candidates)."""
        if with_gazetteer(self.gazetteer) is not self.nlp:  # another scenario replaced the ruler meanwhile
            self.nlp = with_gazetteer(self.gazetteer)
        art = analyse(doc.text, self.nlp, self.gazetteer, published=doc.date)
        quotes = extract_quotes(art)
        claims = extract_claims(art, self.scenario, quotes, self.encoder if self.embeddings else None)
        record = {
            "source": doc.source,
            "url": doc.url,
            "title": doc.title,
            "published": doc.published,
            "text": doc.text,
            "mentions": [{"actor": m.actor, "text": m.text, "start": m.start, "end": m.end} for m in art.mentions],
            "quotes": [q.to_dict() for q in quotes],
            "claims": [c.to_dict() for c in claims],
            "deadlines": [d.to_dict() for d in extract_deadlines(art)],
            "events": [e.to_dict() for e in extract_events(art)],
        }
        # Names in the sentences that hold a claim or name an issue, matching no actor: alias candidates.
        names = unmatched_names(art, issue_sentences(art, self.scenario, claims))
        if self.local_model is not None:
            from .local_model import local_claims

            sentences = [(s.start_char, s.end_char) for s in art.doc.sents]
            kept, record["local_model"] = local_claims(
                self.local_model, doc.text, self.scenario, sentences, record["claims"]
            )
            record["claims"].extend(kept)
        return record, names


_CACHE: dict[int, Extractor] = {}


def extract_document(doc: Document, scenario: Scenario) -> dict:
    """The evidence record of one document for one scenario (models loaded once and reused)."""
    key = id(scenario)
    ext = _CACHE.get(key)
    if ext is None or ext.scenario is not scenario:
        _CACHE.clear()
        ext = _CACHE[key] = Extractor(scenario)
    return ext.extract(doc)
