"""Shared fixtures for the evidence tests: the shared articles, the scenario fixture, one extractor."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from backchannel.scenario.formats import parse

DATA = Path(__file__).resolve().parent / "data"


def _shared() -> Path:
    """shared/ beside the repository (CI), or beside the worktrees folder (a developer's worktree)."""
    env = os.environ.get("BACKCHANNEL_SHARED")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[2]
    for candidate in (repo / ".." / "shared", repo / ".." / ".." / "shared"):
        if (candidate / "articles").is_dir():
            return candidate
    return repo / ".." / "shared"


@pytest.fixture(scope="session")
def shared_articles() -> Path:
    """The development articles (../shared/articles beside the repository)."""
    path = _shared() / "articles"
    if not (path / "labels.json").exists():
        pytest.skip(f"shared articles not found at {path}")
    return path


@pytest.fixture(scope="session")
def dev_labels(shared_articles) -> list[dict]:
    """Hand labels of the development articles."""
    return json.loads((shared_articles / "labels.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def scenario():
    """Actors and issues of the Ukraine talks (tests/evidence/data/scenario.yaml)."""
    path = DATA / "scenario.yaml"
    return parse(path.read_text(encoding="utf-8"), str(path), "yaml")


@pytest.fixture(scope="session")
def extractor(scenario):
    """One extractor for the whole session: the models load once."""
    pytest.importorskip("spacy")
    from backchannel.evidence.extract import Extractor

    return Extractor(scenario)


@pytest.fixture(scope="session")
def dev_results(extractor, shared_articles, dev_labels) -> dict[str, dict]:
    """Extraction records of the development articles, by file name."""
    from backchannel.evidence.documents import read_document

    return {item["file"]: extractor.extract(read_document(shared_articles / item["file"])) for item in dev_labels}


@pytest.fixture(scope="session")
def heldout_labels() -> list[dict]:
    """Labels of the held-out test articles written for this project."""
    return json.loads((DATA / "labels.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def heldout_results(extractor, heldout_labels) -> dict[str, dict]:
    """Extraction records of the held-out test articles, by file name."""
    from backchannel.evidence.documents import read_document

    return {item["file"]: extractor.extract(read_document(DATA / "articles" / item["file"])) for item in heldout_labels}


@pytest.fixture
def analyse_text(extractor):
    """Parse a snippet with the session's pipeline into an Article."""
    from backchannel.evidence.article import analyse

    def run(text: str, published=None):
        return analyse(text, extractor.nlp, extractor.gazetteer, published=published)

    return run
