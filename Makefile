# The two commands of the README: `make run` and `make test`. Each one installs what it needs.
SHELL := /bin/bash
UV := $(shell ./scripts/bootstrap-uv.sh)
PYTEST_ARGS ?=

.PHONY: run test test-fast setup setup-test lint format serve

## Install the default (torch-free) set, load the sample data, and start Copiloto on the embedded defaults.
run: setup
	.venv/bin/copiloto demo

## Install everything (extras and test tools), lint, and run the whole test suite (slow model and
## browser tests included).
test: setup-test lint
	.venv/bin/pytest $(PYTEST_ARGS)

## The suite without the slow model tests.
test-fast: setup-test
	.venv/bin/pytest -m "not slow" $(PYTEST_ARGS)

setup:
	./scripts/install-system-deps.sh run
	$(UV) sync --frozen --inexact --no-dev

setup-test:
	./scripts/install-system-deps.sh test
	$(UV) sync --frozen --all-extras

lint: setup-test
	.venv/bin/ruff check src tests evals ingest scripts
	.venv/bin/ruff format --check src tests evals ingest scripts

format:
	.venv/bin/ruff check --fix src tests evals ingest scripts
	.venv/bin/ruff format src tests evals ingest scripts
