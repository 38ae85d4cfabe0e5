# Two commands: `make run` (embedded app on SQLite) and `make test` (whole suite on PostgreSQL).
SHELL := /bin/bash
.DEFAULT_GOAL := run
.PHONY: run serve setup test lint bench deps deps-dev assets chromium clean

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The embedded default (all overridable): SQLite file, eager Celery, console e-mail, and DEBUG off,
# so a missing page or an error shows the styled Norwegian pages, as in production; `DEBUG=1 make run`
# for development. Plain HTTP on this machine: no HTTPS redirect, HSTS or HTTPS-only cookies. The
# SECRET_KEY is made once into the git-ignored .secret-key; static files are collected by `setup`
# and served by WhiteNoise (hashed names; STATIC_MANIFEST).
RUN_ENV = DEBUG=$${DEBUG:-0} SECRET_KEY="$${SECRET_KEY:-$$(cat .secret-key)}" \
	SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} SECURE_HSTS_SECONDS=$${SECURE_HSTS_SECONDS:-0} \
	SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-0} CSRF_COOKIE_SECURE=$${CSRF_COOKIE_SECURE:-0} \
	DEMO_PASSWORD="$${DEMO_PASSWORD:-$$(cat .demo-password)}"
# Extra runserver options, e.g. RUNSERVER_ARGS=--noreload (the CI smoke test).
RUNSERVER_ARGS ?=

# The test suite runs on the real PostgreSQL and Redis (override with the same variables). No cache by
# default: tests run inside a transaction that never commits, so the cache's version never moves;
# tests/bosetting/test_tallcache.py covers the cached path on its own.
TEST_ENV = DEBUG=0 SECRET_KEY=test-only-secret-key-never-in-production \
	SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 STATIC_MANIFEST=0 \
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bosetting}" \
	CELERY_BROKER_URL="$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/15}" \
	CELERY_TASK_DEFAULT_QUEUE="$${CELERY_TASK_DEFAULT_QUEUE:-bosetting-test}" \
	EMAIL_URL=consolemail:// CACHE_URL="$${CACHE_URL:-dummycache://}"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.deps-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.deps-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.deps-run $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.demo-password:
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(12))" > $@

.secret-key:
	@(umask 077; $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@)

deps: $(VENV)/.deps-run
deps-dev: $(VENV)/.deps-dev
assets: node_modules/.installed

setup: deps assets .demo-password .secret-key
	@# The compiled catalogues (.mo) are committed; recompile only where gettext is installed.
	@if command -v msgfmt >/dev/null; then $(RUN_ENV) $(BIN)/python manage.py compilemessages -v0 \
	  --ignore=.venv --ignore=node_modules --ignore=staticfiles; fi
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(RUN_ENV) $(BIN)/python manage.py load_kommuner
	$(RUN_ENV) $(BIN)/python manage.py load_satser
	$(RUN_ENV) $(BIN)/python manage.py seed_demo

run: setup
	@$(MAKE) --no-print-directory serve

# The server alone, on what `setup` made (`make run` does both).
serve: | .demo-password .secret-key
	@echo "Starter på http://$(HOST):$(PORT)/ (Ctrl+C stopper)."
	$(RUN_ENV) $(BIN)/python manage.py runserver $(RUNSERVER_ARGS) $(HOST):$(PORT)

# Debian's Chromium drives the browser tests; never a browser downloaded by a tool.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installerer Chromium fra Debian ..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "ADVARSEL: klarte ikke å installere chromium"; \
	  else \
	    echo "ADVARSEL: /usr/bin/chromium mangler. Installer med: sudo apt-get install chromium"; \
	  fi; \
	fi

test: deps-dev assets chromium
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

# The benchmark suite (not part of `make test`): seeds its own PostgreSQL database (BENCH_DB,
# default bosetting_bench) and runs gunicorn and locust on 127.0.0.1 only. Short run, e.g.:
#   BENCH_RUNS=10 BENCH_LOAD_SECONDS=15 BENCH_LOAD_USERS=10,100 make bench
bench: deps-dev
	$(BIN)/python bench/run.py

# ruff, and the house's layers (import-linter: contracts in pyproject.toml).
lint: deps-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 .demo-password .secret-key
