# Lantern: `make run` sets everything up and serves the demo area; `make test` checks everything.
# Needs only Python 3.11+, Node.js with npm, and (for browser tests) root to apt-get Debian's chromium.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_WORKERS ?= 2  # pytest-xdist: one worker a core on this 2-core machine; 0 runs in one process
LANTERN := $(BIN)/lantern
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
CSS := var/frontend/lantern.css

.DEFAULT_GOAL := help
.PHONY: help install assets system-packages migrate demo run serve serve-production test lint types pytest bench lock clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(STAMP) $(NPM_STAMP) ## Install Python and npm dependencies (virtual environment in .venv)

$(CSS): $(NPM_STAMP) frontend/application.scss
	@mkdir -p var/frontend
	npx sass --load-path=. --no-source-map --style=compressed --quiet frontend/application.scss $(CSS)

assets: $(CSS) ## Build the stylesheet from GOV.UK Frontend and MOJ Frontend

migrate: install ## Create or update the database (DATABASE_URL, default var/lantern.sqlite3)
	$(LANTERN) migrate --no-input

demo: migrate ## Load the synthetic demo area (idempotent)
	$(LANTERN) demo

run: assets system-packages demo ## Set up everything and serve the demo area at http://127.0.0.1:8000
	$(LANTERN) serve

serve: ## Serve without setting up
	$(LANTERN) serve

serve-production: install assets ## Serve as in production: gunicorn, WhiteNoise's compressed hashed files (docs/deploy.md)
	LANTERN_PRODUCTION=1 $(LANTERN) collectstatic --no-input --verbosity 0
	LANTERN_PRODUCTION=1 $(LANTERN) migrate --no-input
	LANTERN_PRODUCTION=1 $(BIN)/gunicorn --config python:lantern.config.gunicorn

SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0

system-packages: ## Debian's chromium (browser tests) and Pango (PDF exports), if missing
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: install ## ruff: lint and import order; bandit: no security finding of medium or high severity
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -ll -q -r lantern

types: install ## mypy with django-stubs
	$(BIN)/mypy lantern benchmarks

pytest: install assets system-packages ## The test suite only (PYTEST_ARGS to pass more)
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: lint types pytest ## Lint, types and the whole test suite, browser tests included

bench: install ## Benchmarks: 300,000 generated children; figures for docs/performance.md
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

lock: ## Re-pin the Python dependencies into requirements.lock
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 --quiet -o requirements.lock

clean: ## Remove the virtual environment, npm packages and var/ (the database too)
	rm -rf $(VENV) node_modules var
