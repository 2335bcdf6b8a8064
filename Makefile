# newsfacts — `make run` serves the seeded API, `make test` runs the suite.
# Both create .venv from requirements.lock when it is missing or stale.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml setup.py clients/python/setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e clients/python
	touch $(STAMP)

.PHONY: install
install: $(STAMP) ## Create .venv and install the locked dependencies

.PHONY: run
run: $(STAMP) ## Migrate, load the seed into an empty database, serve on http://$(HOST):$(PORT)
	$(BIN)/newsfacts serve --host $(HOST) --port $(PORT)

# pytest-xdist: one worker per core, each test handed out on its own so the long suites
# (started first) spread over the workers. PYTEST_ARGS come last and can override it (-n 0).
TEST_WORKERS ?= auto
XDIST := -n $(TEST_WORKERS) --maxschedchunk 1

.PHONY: test
test: $(STAMP) ## Run the whole suite (and on PostgreSQL too when NEWSFACTS_TEST_DATABASE_URL is set)
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

.PHONY: test-fast
test-fast: $(STAMP) ## The suite without the slow and browser tests (schemathesis, compose, faults, bench, wheel)
	$(BIN)/pytest $(XDIST) -m "not slow and not browser" $(PYTEST_ARGS)

.PHONY: lint
lint: $(STAMP) ## ruff check, ruff format --check, mypy (the app and the generated client), bandit
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy app
	$(BIN)/mypy clients/python/newsfacts_client
	$(BIN)/bandit -q -r app

.PHONY: conformance
conformance: $(STAMP) ## Schemathesis (every check) against a live server, per backend
	$(BIN)/pytest -q -s tests/test_conformance.py

.PHONY: format
format: $(STAMP) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

.PHONY: migrate
migrate: $(STAMP) ## Upgrade the configured database to the latest migration
	$(BIN)/newsfacts migrate

.PHONY: lock
lock: $(STAMP) ## Re-resolve requirements.lock from pyproject.toml
	$(BIN)/python -m pip install --quiet uv
	echo "setuptools>=77" | $(BIN)/uv pip compile pyproject.toml - --extra dev --generate-hashes --universal \
		--python-version 3.11 --no-header -q -o requirements.lock

.PHONY: clean
clean: ## Remove the virtualenv, caches and the local SQLite database
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis newsfacts.db newsfacts.db-wal newsfacts.db-shm

.PHONY: check-migrations
check-migrations: $(STAMP) ## alembic upgrade head && alembic check on a scratch SQLite file (and PostgreSQL if NEWSFACTS_TEST_DATABASE_URL is set)
	$(BIN)/python -m tests.check_migrations

.PHONY: examples
examples: $(STAMP) ## Regenerate the OpenAPI response examples from the seed article
	$(BIN)/python -m app.build examples

.PHONY: openapi
openapi: $(STAMP) ## Write the OpenAPI document to openapi.json, and the client from it (tests fail on drift)
	$(BIN)/python -m app.build openapi client

.PHONY: client
client: $(STAMP) ## Regenerate the Python client, clients/python, from openapi.json (a test fails on drift)
	$(BIN)/python -m app.build client

.PHONY: eval-extraction
eval-extraction: $(STAMP) ## Score the quotation extractor on PolNeAR dev (read from ../shared/datasets/polnear)
	$(BIN)/python bench/eval_extraction.py --split dev

.PHONY: bench-extraction
bench-extraction: $(STAMP) ## Articles a second the extractor drafts on one core (engine, process pool, route)
	$(BIN)/python bench/extraction.py

BENCH_ARGS ?= --articles 100000 --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
.PHONY: bench
bench: $(STAMP) ## Benchmark against Datasette on 1M quotations (installs wrk when it can)
	command -v wrk >/dev/null || apt-get install -y wrk >/dev/null 2>&1 \
		|| echo "wrk is not available: the harness uses its built-in load generator"
	$(BIN)/python bench/run.py $(BENCH_ARGS)
