# Every command a person needs. `make run` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: run setup test test-browser test-postgres check lint bench clean

run: setup  ## install, migrate, seed the demo district, serve http://127.0.0.1:5000
	$(FLASK) run --host 127.0.0.1 --port 5000

setup: $(VENV)/.installed
	$(FLASK) db upgrade
	$(FLASK) seed-demo

$(VENV)/.installed: pyproject.toml package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# axe-core for the browser tests' accessibility checks; without npm those tests skip.
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; fi
	touch $@

test: $(VENV)/.installed  ## the whole suite on SQLite (or on TEST_DATABASE_URL when set), browser tests included
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-browser: $(VENV)/.installed  ## only the browser tests (Debian's chromium; they skip without it)
	$(BIN)/python -m pytest tests/browser -m browser $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed  ## the suite on the local PostgreSQL (browser tests use their own SQLite)
	TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

check: $(VENV)/.installed  ## models and migrations agree (on DATABASE_URL, default SQLite)
	$(FLASK) db upgrade
	$(FLASK) db check

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(VENV)/.installed  ## load test on SQLite and PostgreSQL (needs wrk); writes bench/RESULTS.md
	$(BIN)/python -m bench.load $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache node_modules test-artifacts
