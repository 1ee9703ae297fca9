"""Scoring rules for probabilities of yes/no questions and for forecast distributions on a 0..100 scale.

Binary questions: the Brier score, the log score (mean negative natural log of the probability
given to what happened; lower is better), Murphy's (1973) decomposition of the Brier score into
reliability, resolution and uncertainty over equal-width bins, and the reliability table.
Distributions given as samples: CRPS and the interval score (both from the maintained
``scoringrules`` package), the coverage of central intervals and a PIT histogram.

Conventions stated once:

* A probability of exactly 0 or 1 given to what did not happen has an infinite log score; the log
  score clips probabilities to ``[LOG_FLOOR, 1 - LOG_FLOOR]`` first (Monte Carlo shares of a few
  thousand draws are often exactly 0 or 1).
* Bins are ``[0, 0.1), [0.1, 0.2), …, [0.9, 1.0]``; the decomposition uses each bin's mean
  forecast (as SpecsVerification's ``BrierDecomp`` does), so ``reliability - resolution +
  uncertainty`` equals the Brier score exactly when every forecast in a bin is the same and
  differs from it by the within-bin spread otherwise (Stephenson et al. 2008).
* The PIT of an outcome under samples is the share of samples below it plus half the share
  equal to it (the mid-point of the jump, so ties — frequent on DEU issues — are not random).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "LOG_FLOOR",
    "Decomposition",
    "DistributionScore",
    "brier",
    "central_interval",
    "coverage",
    "crps_samples",
    "interval_score",
    "log_score",
    "murphy_decomposition",
    "pit_histogram",
    "pit_values",
    "reliability_table",
    "score_distribution",
]

#: probabilities are clipped to [LOG_FLOOR, 1 - LOG_FLOOR] before taking logs
LOG_FLOOR = 1e-3
Floats = NDArray[np.float64]


def _binary(p: ArrayLike, y: ArrayLike) -> tuple[Floats, Floats]:
    """Probabilities in 0..1 and outcomes in {0, 1}, as float arrays of one length (ValueError otherwise)."""
    pa, ya = np.asarray(p, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    if pa.shape != ya.shape:
        raise ValueError(f"{pa.size} probabilities but {ya.size} outcomes")
    if pa.size and (np.isnan(pa).any() or pa.min() < 0 or pa.max() > 1):
        raise ValueError("probabilities must lie in 0..1")
    if ya.size and not np.isin(ya, (0.0, 1.0)).all():
        raise ValueError("outcomes must be 0 or 1")
    return pa, ya


def brier(p: ArrayLike, y: ArrayLike) -> float:
    """Mean squared difference between probability and outcome (0 best, 1 worst); NaN when empty."""
    pa, ya = _binary(p, y)
    if not pa.size:
        return float("nan")
    import scoringrules as sr  # imported on use: the package takes about two seconds to import

    return float(np.mean(sr.brier_score(ya, pa)))


def log_score(p: ArrayLike, y: ArrayLike, floor: float = LOG_FLOOR) -> float:
    """Mean of −ln(probability given to what happened), probabilities clipped to [floor, 1 − floor]."""
    pa, ya = _binary(p, y)
    if not pa.size:
        return float("nan")
    q = np.clip(pa, floor, 1.0 - floor)
    return float(np.mean(-np.log(np.where(ya == 1.0, q, 1.0 - q))))


def _bin_index(p: Floats, bins: int) -> NDArray[np.intp]:
    """Equal-width bin of each probability; 1.0 falls in the last bin."""
    return np.minimum((p * bins).astype(np.intp), bins - 1)


@dataclass(frozen=True)
class Decomposition:
    """Murphy's (1973) partition of the Brier score over binned forecasts."""

    reliability: float
    resolution: float
    uncertainty: float

    def to_dict(self) -> dict[str, float]:
        """JSON-ready components."""
        return {"reliability": self.reliability, "resolution": self.resolution, "uncertainty": self.uncertainty}


def murphy_decomposition(p: ArrayLike, y: ArrayLike, bins: int = 10) -> Decomposition:
    """Reliability Σ n_k (f̄_k − ō_k)² / N, resolution Σ n_k (ō_k − ō)² / N and uncertainty ō (1 − ō)."""
    pa, ya = _binary(p, y)
    n = pa.size
    if not n:
        nan = float("nan")
        return Decomposition(nan, nan, nan)
    k = _bin_index(pa, bins)
    count = np.bincount(k, minlength=bins).astype(float)
    hits = np.bincount(k, weights=ya, minlength=bins)
    total = np.bincount(k, weights=pa, minlength=bins)
    used = count > 0
    base = ya.mean()
    rel = float(np.sum((total[used] - hits[used]) ** 2 / count[used]) / n)
    res = float(np.sum(count[used] * (hits[used] / count[used] - base) ** 2) / n)
    return Decomposition(rel, res, float(base * (1.0 - base)))


def reliability_table(p: ArrayLike, y: ArrayLike, bins: int = 10) -> list[dict[str, Any]]:
    """Per equal-width bin: its range, the mean forecast, the observed share of yes and the count."""
    pa, ya = _binary(p, y)
    k = _bin_index(pa, bins)
    rows = []
    for b in range(bins):
        inside = k == b
        c = int(inside.sum())
        rows.append(
            {
                "bin": [b / bins, (b + 1) / bins],
                "count": c,
                "forecast_mean": float(pa[inside].mean()) if c else None,
                "observed": float(ya[inside].mean()) if c else None,
            }
        )
    return rows


# -- distributions given as samples --------------------------------------------------------------
def _samples(obs: ArrayLike, samples: ArrayLike) -> tuple[Floats, Floats]:
    """Outcomes (n,) and samples (n, draws) as float arrays (ValueError when they do not match)."""
    o = np.asarray(obs, dtype=float).ravel()
    s = np.asarray(samples, dtype=float)
    if s.ndim != 2 or s.shape[0] != o.size or s.shape[1] < 1:
        raise ValueError(f"samples must be (outcomes, draws) = ({o.size}, ≥1); got {s.shape}")
    return o, s


def crps_samples(obs: ArrayLike, samples: ArrayLike) -> Floats:
    """CRPS of each outcome under its samples (same units as the outcome; lower is better)."""
    o, s = _samples(obs, samples)
    import scoringrules as sr

    return np.asarray(sr.crps_ensemble(o, s, m_axis=-1), dtype=float)


def central_interval(samples: ArrayLike, level: float) -> tuple[Floats, Floats]:
    """Lower and upper bounds of the central ``level`` interval of each row of samples."""
    s = np.asarray(samples, dtype=float)
    tail = (1.0 - level) / 2.0
    lo, hi = np.quantile(s, [tail, 1.0 - tail], axis=-1)
    return np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)


def coverage(obs: ArrayLike, lower: ArrayLike, upper: ArrayLike) -> float:
    """Share of outcomes inside their [lower, upper] interval (bounds included)."""
    o = np.asarray(obs, dtype=float)
    inside = (o >= np.asarray(lower, dtype=float)) & (o <= np.asarray(upper, dtype=float))
    return float(inside.mean()) if o.size else float("nan")


def interval_score(obs: ArrayLike, lower: ArrayLike, upper: ArrayLike, level: float) -> Floats:
    """Gneiting–Raftery interval score of each central ``level`` interval: width plus 2/α × miss."""
    import scoringrules as sr

    o = np.asarray(obs, dtype=float)
    return np.asarray(
        sr.interval_score(o, np.asarray(lower, dtype=float), np.asarray(upper, dtype=float), 1.0 - level), dtype=float
    )


def pit_values(obs: ArrayLike, samples: ArrayLike) -> Floats:
    """Probability integral transform of each outcome: share of samples below plus half the share equal."""
    o, s = _samples(obs, samples)
    below = (s < o[:, None]).mean(axis=1)
    equal = (s == o[:, None]).mean(axis=1)
    return np.asarray(below + 0.5 * equal, dtype=float)


def pit_histogram(pit: Sequence[float] | Floats, bins: int = 10) -> list[int]:
    """Counts of PIT values in ``bins`` equal-width bins of 0..1 (flat when the forecasts are calibrated)."""
    u = np.asarray(pit, dtype=float)
    return [int(c) for c in np.bincount(_bin_index(u, bins), minlength=bins)]


@dataclass(frozen=True)
class DistributionScore:
    """How well forecast distributions (samples) fit outcomes: mean CRPS, central-interval coverage at 50 % and
    90 %, mean 90 % interval score, and the PIT histogram (10 counts), over ``n`` outcomes."""

    crps: float
    coverage50: float
    coverage90: float
    interval_score90: float
    pit: tuple[int, ...]
    n: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (NaN as None)."""

        def plain(v: float) -> float | None:
            return None if np.isnan(v) else float(v)

        return {
            "crps": plain(self.crps),
            "coverage50": plain(self.coverage50),
            "coverage90": plain(self.coverage90),
            "interval_score90": plain(self.interval_score90),
            "pit": list(self.pit),
        }


def score_distribution(obs: ArrayLike, samples: ArrayLike) -> DistributionScore:
    """All distribution scores of (n,) outcomes under (n, draws) samples; rows with any NaN are left out."""
    o, s = np.asarray(obs, dtype=float).ravel(), np.asarray(samples, dtype=float)
    ok = np.isfinite(o) & np.isfinite(s).all(axis=1) if s.ndim == 2 else np.zeros(o.size, bool)
    if not ok.any():
        nan = float("nan")
        return DistributionScore(nan, nan, nan, nan, (0,) * 10, 0)
    o, s = o[ok], s[ok]
    lo50, hi50 = central_interval(s, 0.5)
    lo90, hi90 = central_interval(s, 0.9)
    return DistributionScore(
        float(crps_samples(o, s).mean()),
        coverage(o, lo50, hi50),
        coverage(o, lo90, hi90),
        float(interval_score(o, lo90, hi90, 0.9).mean()),
        tuple(pit_histogram(pit_values(o, s))),
        int(o.size),
    )
