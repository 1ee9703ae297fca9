"""Several processes opening a new store at once (issue 14, item 6): every one migrates or waits, none fails."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

OPENERS = 8
# Each process imports first, then waits for a common start time, so that the opens really overlap.
OPEN_AND_RECORD = """
import sys, time
from backchannel.app.files import load_scenario
from backchannel.store import Store
start = float(sys.argv[2])
time.sleep(max(0.0, start - time.time()))
store = Store(sys.argv[1])
print(store.record_run(load_scenario("ukraine-2025"), models=["compromise"], parameters={}, seed=0, results={}))
"""


def test_eight_concurrent_first_opens_all_succeed(store_url):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    start = time.time() + 4.0
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AND_RECORD, store_url, str(start)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(OPENERS)
    ]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    failures = [err.strip().splitlines()[-1:] for _, err, code in results if code != 0]
    assert not failures, failures
    ids = sorted(int(out.strip()) for out, _, _ in results)
    assert ids == list(range(1, OPENERS + 1))  # every run was recorded, each once
    engine = create_engine(store_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM runs")).scalar() == OPENERS
    engine.dispose()
