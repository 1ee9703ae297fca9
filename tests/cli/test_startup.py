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
    code = "from backchannel.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    assert _imported_after(code) == set()


def test_a_command_help_imports_none_of_them_either():
    code = "from backchannel.cli import main\ntry:\n    main(['forecast', '--help'])\nexcept SystemExit:\n    pass"
    assert _imported_after(code) == set()


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
