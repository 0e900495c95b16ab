# Bridge: one target per thing people do. `make help` lists them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The suite runs on two processes (pytest-xdist); PYTEST_ARGS="" runs it in one, or pass your own.
PYTEST_ARGS ?= -n 2
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help run worker test bench bench-quick eval-similar lint format install install-dev services migrate demo schema

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Create .venv with the runtime requirements

install-dev: $(VENV)/.installed-dev ## Create .venv with runtime and test requirements

run: $(VENV)/.installed ## Serve the app with demo data on http://127.0.0.1:$(PORT) (SQLite unless DATABASE_URL)
	PORT=$(PORT) bin/run.sh

worker: $(VENV)/.installed ## Run a supervised Celery worker with beat (needs CELERY_BROKER_URL, DATABASE_URL; WORKER_BEAT=0 on extra nodes)
	bin/worker.sh $$([ "$${WORKER_BEAT:-1}" = 0 ] || echo --beat) \
		--loglevel=INFO --concurrency=$${WORKER_CONCURRENCY:-2} --queues=$${WORKER_QUEUES:-celery,similar}

services: ## Make sure PostgreSQL and Redis are running (install or start them)
	bin/ensure-services.sh

test: $(VENV)/.installed-dev ## Run every test against real PostgreSQL and Redis, browser tests included
	bin/ensure-services.sh --browser --ops
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev ## The benchmarks at full size, 100,000 problems (table + benchmarks/results.json)
	bin/ensure-services.sh --bench
	$(PY) -m benchmarks.run

bench-quick: $(VENV)/.installed-dev ## The same benchmarks at 10,000 problems, for development
	bin/ensure-services.sh --bench
	$(PY) -m benchmarks.run --quick

eval-similar: $(VENV)/.installed-dev ## Quality of the similar search on the labelled queries, on SQLite and PostgreSQL
	bin/ensure-services.sh
	$(PY) -m tests.similar_eval

lint: $(VENV)/.installed-dev ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev ## Format the code with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

schema: $(VENV)/.installed ## Write the OpenAPI schema to docs/openapi.yaml
	$(PY) manage.py spectacular --file docs/openapi.yaml --validate
