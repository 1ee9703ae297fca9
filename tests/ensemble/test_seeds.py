"""Seed derivation: one stream per name, fixed by the seed and the name alone."""

from __future__ import annotations

import numpy as np

from backchannel.ensemble.seeds import input_stream, task_seed


def test_input_streams_depend_on_seed_and_name_only():
    a = input_stream(7, "russia.nato.position").random(5)
    np.testing.assert_array_equal(a, input_stream(7, "russia.nato.position").random(5))
    assert not np.array_equal(a, input_stream(7, "russia.nato.salience").random(5))
    assert not np.array_equal(a, input_stream(8, "russia.nato.position").random(5))


def test_task_seeds_differ_by_purpose_model_and_chunk():
    streams = [
        np.random.default_rng(task_seed(3, *parts)).random(3)
        for parts in (("draws", "nash", 0), ("draws", "nash", 1), ("draws", "bdm", 0), ("point", "nash"))
    ]
    assert len({tuple(s) for s in streams}) == 4
    np.testing.assert_array_equal(streams[0], np.random.default_rng(task_seed(3, "draws", "nash", 0)).random(3))
