"""Fast start: commands import the heavy libraries only when they use them (a structural test, not a timed one;
benchmarks/bench_startup.py measures the times)."""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY = (
    "numba",
    "sqlalchemy",
    "alembic",
    "spacy",
    "fastapi",
    "ray",
    "jinja2",
    "numpy",
    "platformdirs",
    "sqlalchemy.dialects.postgresql",
)


def _imported_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    probe = code + "\nimport sys\nprint('IMPORTED:', *(m for m in %r if m in sys.modules))" % (HEAVY,)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    line = [x for x in done.stdout.splitlines() if x.startswith("IMPORTED:")][-1]
    return set(line.split()[1:])


def test_help_imports_none_of_the_heavy_libraries():
    code = "from backchannel.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    assert _imported_after(code) == set()


def test_a_command_help_imports_none_of_them_either():
    code = "from backchannel.cli import main\ntry:\n    main(['forecast', '--help'])\nexcept SystemExit:\n    pass"
    assert _imported_after(code) - {"numpy"} == set()  # the options list the models, which need NumPy


def _store_env(tmp_path) -> dict[str, str]:
    return {**os.environ, "BACKCHANNEL_DB": f"sqlite:///{tmp_path / 'start.db'}"}


def test_scenario_list_loads_the_store_but_no_model_and_no_other_dialect(tmp_path):
    """``scenario list`` on SQLite needs SQLAlchemy and nothing numeric: no NumPy (the models), no PostgreSQL
    dialect, no platformdirs when the URL is given, no Alembic once the schema is current."""
    code = (
        "from backchannel.cli import main\ntry:\n    main(['scenario', 'list', '--json'])\nexcept SystemExit:\n    pass"
    )
    _imported_after(code, _store_env(tmp_path))  # the first run creates and migrates the store
    assert _imported_after(code, _store_env(tmp_path)) == {"sqlalchemy"}


def test_a_compromise_forecast_loads_no_compiled_kernel_and_no_templates(tmp_path):
    """``forecast -m compromise`` (no Numba kernel) records its run in the store and prints the headline
    without Numba or Jinja2 (the HTML report's templates)."""
    code = (
        "from backchannel.cli import main\ntry:\n"
        "    main(['forecast', 'ukraine-2025', '-m', 'compromise', '--draws', '20'])\nexcept SystemExit:\n    pass"
    )
    _imported_after(code, _store_env(tmp_path))
    assert _imported_after(code, _store_env(tmp_path)) == {"sqlalchemy", "numpy"}


def test_the_models_run_without_the_store():
    """A forecast that is not recorded imports Numba (the kernels) but not the store's libraries."""
    code = (
        "from backchannel.app.files import load_scenario\nfrom backchannel.ensemble import run_forecast\n"
        "run_forecast(load_scenario('ukraine-2025'), ['bdm'], 10, 0)"
    )
    assert _imported_after(code) & {"sqlalchemy", "alembic", "spacy", "fastapi", "ray"} == set()
    assert "numba" in _imported_after(code)


def test_the_command_list_read_from_the_sources_matches_the_loaded_commands():
    """``--help`` lists each command by the help read from its module's source; it must be the help of
    the command once loaded (the docstring, or the group's help)."""
    import click
    import typer

    from backchannel.cli import COMMANDS, app, build_app

    loaded = typer.main.get_command(app)
    listed = typer.main.get_command(build_app([]))
    ctx = click.Context(loaded)
    assert loaded.list_commands(ctx) == listed.list_commands(ctx) == list(COMMANDS) or sorted(
        loaded.list_commands(ctx)
    ) == sorted(COMMANDS)
    for name in COMMANDS:
        real, stand_in = loaded.get_command(ctx, name), listed.get_command(ctx, name)
        assert real.get_short_help_str(80) == stand_in.get_short_help_str(80), name
