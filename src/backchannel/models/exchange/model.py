"""Stokman's exchange model, Equal Gain variant (Stokman & Van Oosten 1994): actors trade issues.

Each round, pairs of actors on opposite sides of two outcomes trade: each gives way on the
issue it cares less about in return for movement on the one it cares more about, by amounts
that make both gain the same. Exchanges are realised best gain first; each realised exchange
updates the candidates that share an actor's supply or demand issue with it. At the end of a
round the voting outcome (c·s weighted mean of the voting positions) is taken, and traders move
their preferences part of the way toward their voting positions. The outcome is the voting
outcome after the last round. See docs/models.md#exchange and the notes in exchange.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...scenario.arrays import ArrayBatch, ScenarioArrays
from ...scenario.errors import InputError
from ..base import BatchResult, Kernel, Model, ModelResult, register
from ..compromise import weighted_mean
from .candidates import ExchangeList, build_candidates, round_outcome

__all__ = ["Exchange", "RoundLog", "run_round"]


class RoundLog(dict[str, Any]):
    """What happened in one round: counts, ties and the realised exchanges."""


@np.errstate(invalid="ignore", divide="ignore")
def run_round(
    position: np.ndarray,
    salience: np.ndarray,
    capability: np.ndarray,
    mask: np.ndarray,
    rng: np.random.Generator | None,
    tie_tolerance: float,
) -> tuple[ExchangeList, RoundLog]:
    """One round of exchanges from the given preferences: the candidate list and its log."""
    from .gain import equal_gain  # the compiled kernels: numba is imported when a model runs, not before
    from .realise import realise

    lst = build_candidates(position, salience, capability, mask)
    equal_gain(lst, np.arange(len(lst)))
    lst.valid &= lst.usable
    # candidates invalid from the start never return (the peer drops them on its first sweep)
    alive = lst.valid.copy()
    n_valid = int(alive.sum())
    weight = np.where(mask, capability * salience, 0.0)
    total, _ = round_outcome(position, weight)
    share = np.divide(weight, total, out=np.zeros_like(weight), where=total > 0)
    done = realise(lst, share, position, alive, rng, tie_tolerance)
    n, ties, first_tie = done.counts.tolist()
    rows = done.row[:n]
    realised = list(
        zip(
            lst.act[rows].tolist(),
            lst.sup[rows].tolist(),
            done.cur[:n].tolist(),
            done.y[:n].tolist(),
            done.gain[:n].tolist(),
        )
    )
    log = RoundLog(
        candidates=len(lst), valid=n_valid, realised=realised, ties=ties, first_tie=None if first_tie < 0 else first_tie
    )
    return lst, log


@register
class Exchange(Model):
    """Stokman's exchange model with equal gain, a fixed number of rounds (Stokman & Van Oosten 1994)."""

    name = "exchange"
    kernels = (
        Kernel("backchannel.models.exchange.kernel", "gain_rows", 2),
        Kernel("backchannel.models.exchange.kernel", "realise_loop", 2),
        Kernel("backchannel.models.exchange.kernel", "run_draws", 9),
    )
    dynamic = True
    defaults = {
        "rounds": 10,
        "tie_tolerance": 1e-12,
        "tie_break": "random",
        "fixed_weight": 0.1,
        "salience_weight": 0.4,
    }
    choices = {"tie_break": ("random", "first")}

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        p = self.params
        rounds = p["rounds"]
        if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)) or rounds < 0:
            raise InputError(
                "rounds must be a whole number, 0 or more", field="rounds", value=rounds, allowed="0, 1, 2, ..."
            )
        for key, high in (("tie_tolerance", None), ("fixed_weight", 1.0), ("salience_weight", 1.0)):
            value = p[key]
            ok = isinstance(value, (int, float, np.floating)) and not isinstance(value, bool) and value >= 0
            if not ok or (high is not None and value > high):
                raise InputError(
                    f"bad value for parameter of model {self.name!r}",
                    field=key,
                    value=value,
                    allowed="a number >= 0" if high is None else f"a number in [0, {high}]",
                )
        if p["fixed_weight"] + p["salience_weight"] > 1.0:
            raise InputError(
                "fixed_weight + salience_weight must be at most 1 (preferences would overshoot)",
                field="salience_weight",
                value=p["salience_weight"],
                allowed=f"at most {1.0 - p['fixed_weight']:g}",
            )

    def solve(self, arrays: ScenarioArrays, rng: np.random.Generator | None = None) -> ModelResult:
        """Run the rounds; the outcome is the voting outcome of the last round."""
        p = self.params
        rounds = int(p["rounds"])
        draw = rng if p["tie_break"] == "random" else None
        mask = arrays.mask
        salience, capability = arrays.salience, arrays.capability
        weight = arrays.weight
        x = np.where(mask, arrays.position, 0.0).astype(float)
        trajectory = [x.copy()]
        votes, log_rows = [], []
        for round_no in range(rounds):
            lst, log = run_round(x, salience, capability, mask, draw, float(p["tie_tolerance"]))
            voting = x.copy()
            new = x.copy()
            for act, sup, _, y, _ in log["realised"]:
                for side in (0, 1):
                    a, k = act[side], sup[side]
                    voting[a, k] = y[side]
                    # preferences move part of the way to the voting position, more for low salience
                    rate = p["fixed_weight"] + p["salience_weight"] * (1.0 - salience[a, k])
                    new[a, k] = x[a, k] + rate * (y[side] - x[a, k])
            votes.append(weighted_mean(voting, weight))
            log_rows.append(self._describe(arrays, round_no, log))
            x = new
            trajectory.append(x.copy())
        traj = np.stack(trajectory)
        diagnostics: dict[str, Any] = {
            "voting_outcomes": np.array(votes).reshape(rounds, arrays.n_issues),
            "preference_outcomes": np.stack([weighted_mean(t, weight) for t in traj]),
            "candidates": [r["candidates"] for r in log_rows],
            "valid": [r["valid"] for r in log_rows],
            "realised": [len(r["exchanges"]) for r in log_rows],
            "ties": [r["ties"] for r in log_rows],
            "first_tie": [r["first_tie"] for r in log_rows],
            "exchanges": [r["exchanges"] for r in log_rows],
        }
        outcome = votes[-1] if votes else weighted_mean(x, weight)
        # the model runs a fixed number of rounds; it has settled only if the last one was quiet
        settled = not log_rows or not log_rows[-1]["exchanges"]
        return self.result(
            arrays,
            outcome,
            rounds=rounds,
            converged=settled,
            final_positions=x,
            trajectory=traj,
            diagnostics=diagnostics,
        )

    def solve_batch(self, batch: ArrayBatch, rng: np.random.Generator | None = None) -> BatchResult:
        """Every draw in one compiled loop (``exchange_kernel.run_draws``): what a loop of ``solve`` gives,
        bit for bit, ties drawn from ``rng`` in the same order."""
        p = self.params
        from .kernel import run_draws

        # as in ``solve``: without a Generator, ties go to the earliest created candidate
        draw = p["tie_break"] == "random" and rng is not None
        gen = rng if rng is not None else np.random.default_rng(0)  # never drawn from without ``draw``
        b, n_a, n_i = batch.position.shape
        outcome, final = np.empty((b, n_i)), np.empty((b, n_a, n_i))
        settled = np.empty(b, dtype=bool)
        pos, sal, cap = (
            np.ascontiguousarray(a, dtype=float) for a in (batch.position, batch.salience, batch.capability)
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            run_draws(
                pos,
                sal,
                cap,
                np.ascontiguousarray(batch.mask, dtype=bool),
                int(p["rounds"]),
                float(p["tie_tolerance"]),
                float(p["fixed_weight"]),
                float(p["salience_weight"]),
                draw,
                gen.bit_generator.ctypes.next_uint32,
                gen.bit_generator.ctypes.state_address,
                outcome,
                final,
                settled,
            )
        return BatchResult(
            self.name,
            dict(p),
            batch.actors,
            batch.issues,
            outcome,
            np.full(b, int(p["rounds"]), dtype=int),
            settled,
            final_positions=final,
        )

    @staticmethod
    def _describe(arrays: ScenarioArrays, round_no: int, log: RoundLog) -> dict[str, Any]:
        """A JSON-ready record of one round with actor and issue ids."""
        exchanges = []
        for act, sup, cur, y, gain in log["realised"]:
            exchanges.append(
                {
                    "gain": gain,
                    "sides": [
                        {
                            "actor": arrays.actors[act[s]],
                            "issue": arrays.issues[sup[s]],
                            "from": float(cur[s]),
                            "to": float(y[s]),
                        }
                        for s in (0, 1)
                    ],
                }
            )
        return {
            "round": round_no + 1,
            "candidates": log["candidates"],
            "valid": log["valid"],
            "ties": log["ties"],
            "first_tie": log["first_tie"],
            "exchanges": exchanges,
        }
