# Every command a person needs. `make run` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run setup test test-postgres check lint bench clean

run: setup  ## install, migrate, seed the demo district, serve http://127.0.0.1:5000
	$(FLASK) run --host 127.0.0.1 --port 5000

setup: $(VENV)/.installed
	$(FLASK) db upgrade
	$(FLASK) seed-demo

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

test: $(VENV)/.installed  ## the whole suite on SQLite (or on TEST_DATABASE_URL when set)
	$(BIN)/python -m pytest

test-postgres: $(VENV)/.installed  ## the whole suite on the local PostgreSQL
	TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest

check: $(VENV)/.installed  ## models and migrations agree (on DATABASE_URL, default SQLite)
	$(FLASK) db upgrade
	$(FLASK) db check

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) instance .pytest_cache
