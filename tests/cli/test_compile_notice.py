"""The one-line notice on standard error when a command's models first compile their kernels."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import backchannel
from backchannel.models import first_use
from backchannel.models.first_use import compile_notice, compile_pending


def test_silent_with_a_warm_cache(cli):
    # the first run fills numba's cache if it is empty; after it the kernels are cached
    # (first_use reads numba's index), so the second run must say nothing on stderr
    cli("forecast", "-m", "nash", "-m", "median", "--draws", "20", "--json")
    assert not compile_pending("nash") and not compile_pending("median")
    code, out, err = cli("forecast", "-m", "nash", "-m", "median", "--draws", "20", "--json")
    assert code == 0, err
    assert "compiling" not in err
    assert set(json.loads(out)["models"]) == {"nash", "median"}


def test_notice_goes_to_stderr_and_keeps_json_clean(cli, monkeypatch):
    # stand-in for an empty cache: nash pending, the others cached
    monkeypatch.setattr(first_use, "_cached", lambda kernel: kernel.py_func.__name__ != "solve_draws")
    code, out, err = cli("forecast", "-m", "compromise", "-m", "nash", "--draws", "0", "--json")
    assert code == 0, err
    # first_use._SECONDS: nash's kernel 10 s; the line names the model and the wait
    assert err.strip() == "compiling the nash model for this machine (once, about 10 s)…"
    assert set(json.loads(out)["models"]) == {"compromise", "nash"}


def test_no_notice_for_models_without_kernels():
    assert compile_notice(["compromise", "focal"]) is None
    assert compile_notice([]) is None
    # a dispatcher without numba's cache internals counts as cached: no notice rather than a wrong one
    assert first_use._cached(object())


def test_empty_cache_is_detected_without_compiling(tmp_path):
    # NUMBA_CACHE_DIR points numba at an empty folder: every kernel is pending, a model without
    # kernels is not; only the index is read, so this takes an import's time, not a compile's
    src = str(Path(backchannel.__file__).resolve().parents[1])
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path), PYTHONPATH=src)
    code = (
        "from backchannel.models.first_use import compile_pending, compile_notice; "
        "print([compile_pending(m) for m in ('nash', 'bdm', 'exchange', 'median', 'compromise')]); "
        "print(compile_notice(['nash', 'bdm', 'compromise', 'median']))"
    )
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    pending, notice = run.stdout.splitlines()
    assert pending == "[True, True, True, True, False]"
    # first_use._SECONDS: nash 10 + bdm's run_draws 5 + the median kernel 3, which bdm and median
    # share and is counted once
    assert notice == "compiling the nash, bdm and median models for this machine (once, about 18 s)…"
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # nothing compiled or written (numba makes folders)
