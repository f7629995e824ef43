# Anxin: `make run` starts the portal on SQLite, with its own OpenSearch node when Java is there;
# `make test` runs the whole suite against real PostgreSQL, Redis and OpenSearch.
# `make help` lists every target.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
RUN_ADDR ?= 127.0.0.1:8000

.DEFAULT_GOAL := help
.PHONY: help install lock audit run serve test test-cluster services check lint format pytest deploy-check clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Every dependency comes from requirements.lock, pinned with hashes; the project itself adds none.
$(INSTALLED): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

install: $(INSTALLED) ## Create .venv and install the dependencies (skipped when nothing changed)

lock: $(INSTALLED) ## Re-pin requirements.lock (hashes, all extras) from pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra elasticsearch --universal \
		--python-version 3.11 --generate-hashes --quiet -o requirements.lock

audit: $(INSTALLED) ## Fail on a locked dependency with a known vulnerability that has a fix
	$(BIN)/python scripts/audit_lock.py

run: $(INSTALLED) ## Serve the portal at 127.0.0.1:8000 (RUN_ADDR): SQLite, demo, OpenSearch if Java
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py load_demo
	$(BIN)/python scripts/services.py dev -- $(MAKE) --no-print-directory serve

# make run's last steps, with the OpenSearch node up when it could be had (else on the database).
# A failed rebuild (an engine too slow to answer) is reported and lookup falls back; serving goes on.
# The admin's address and credentials are printed by runserver, last before its server line.
serve: $(INSTALLED)
	-$(BIN)/python manage.py search_rebuild --if-available --if-stale -v 0
	$(BIN)/python manage.py export_open_data --if-missing
	$(BIN)/python manage.py ensure_dev_admin -v 0
	$(BIN)/python manage.py runserver $(RUN_ADDR)

test: $(INSTALLED) ## Start PostgreSQL, Redis, OpenSearch if needed; lint; run the whole suite
	$(BIN)/python scripts/services.py run -- $(MAKE) --no-print-directory check pytest

test-cluster: $(INSTALLED) ## Kill a node of a three-node OpenSearch cluster under lookups (ports 9401-9413)
	$(BIN)/python scripts/services.py run -- env TEST_CLUSTER=1 $(BIN)/pytest tests/search/test_cluster.py -s

services: $(INSTALLED) ## Run the test services in the foreground until Ctrl-C
	$(BIN)/python scripts/services.py run -- sleep infinity

check: lint ## Lint, and check that no migration is missing
	$(BIN)/python manage.py makemigrations --check --dry-run

lint: $(INSTALLED) ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

deploy-check: $(INSTALLED) ## Start deploy/'s stack on loopback, smoke-test it, run the `deploy` tests
	$(BIN)/python scripts/deploy_check.py
	$(BIN)/pytest -m deploy tests/deploy -q

pytest: $(INSTALLED) ## Run pytest alone (services must already be reachable)
	$(BIN)/pytest

clean: ## Remove the virtualenv, caches and the development database
	rm -rf $(VENV) .cache db.sqlite3 .dev-admin
