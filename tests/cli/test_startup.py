"""Fast start: commands import the heavy libraries only when they use them (a structural test, not a timed one;
benchmarks/bench_startup.py measures the times)."""
from __future__ import annotations

import subprocess
import sys

HEAVY = ("numba", "sqlalchemy", "alembic", "spacy", "fastapi", "ray", "jinja2")


def _imported_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint('IMPORTED:', *(m for m in %r if m in sys.modules))" % (HEAVY,)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    line = [x for x in done.stdout.splitlines() if x.startswith("IMPORTED:")][-1]
    return set(line.split()[1:])


def test_help_imports_none_of_the_heavy_libraries():
    code = ("from backchannel.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass")
    assert _imported_after(code) == set()


def test_a_command_help_imports_none_of_them_either():
    code = ("from backchannel.cli import main\n"
            "try:\n    main(['forecast', '--help'])\nexcept SystemExit:\n    pass")
    assert _imported_after(code) == set()


def test_the_models_run_without_the_store():
    """A forecast that is not recorded imports Numba (the kernels) but not the store's libraries."""
    code = ("from backchannel.app.files import load_scenario\nfrom backchannel.ensemble import run_forecast\n"
            "run_forecast(load_scenario('ukraine-2025'), ['bdm'], 10, 0)")
    assert _imported_after(code) & {"sqlalchemy", "alembic", "spacy", "fastapi", "ray"} == set()
    assert "numba" in _imported_after(code)
