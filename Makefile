# autobook — one-command entry points. Every target installs what it needs itself.
SHELL := /bin/bash
PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) $(shell command -v python3.13))
VENV := .venv
BIN := $(VENV)/bin
# sam build looks for a python3.13 on PATH; the venv provides one.
export PATH := $(CURDIR)/$(BIN):$(PATH)
export AWS_DEFAULT_REGION ?= eu-west-1
export SAM_CLI_TELEMETRY := 0

.PHONY: help venv demo test test-unit lint format build validate bench soak clean

help:
	@echo "make demo      run the whole pipeline locally on embedded services"
	@echo "make test      run the whole test suite (starts DynamoDB Local itself)"
	@echo "make lint      ruff, mypy, cfn-lint, sam validate --lint"
	@echo "make build     sam build (needs PyPI)"
	@echo "make bench     benchmarks in bench/"

$(BIN)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "python3.13 not found"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]' 'aws-sam-cli>=1.130'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

venv: $(BIN)/.installed node_modules/.installed

demo: venv
	$(BIN)/autobook demo

test: venv
	$(BIN)/python -m pytest -q

test-unit: venv
	$(BIN)/python -m pytest -q tests/unit

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy shared/autobook functions autobook_cli
	$(BIN)/cfn-lint template.yaml
	$(BIN)/sam validate --lint --template template.yaml

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

validate: venv
	$(BIN)/cfn-lint template.yaml
	$(BIN)/sam validate --lint --template template.yaml

# Then every function is loaded as Lambda will: its code, its layers and the runtime's SDK only.
build: venv
	$(BIN)/sam build --template template.yaml
	$(BIN)/python -m sandbox.built_layers

bench: venv
	$(BIN)/python bench/soak.py

soak: bench

clean:
	rm -rf .aws-sam out .pytest_cache .mypy_cache .ruff_cache
