# wijkbalans: `make run` to try it, `make test` to test it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install test test-postgres test-browser browser-deps ci benchmark lock lint demo clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "wijkbalans needs Python 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/wijkbalans migrate --no-input -v 0
	$(BIN)/wijkbalans demo
	@echo ""
	@echo "  wijkbalans runs at http://$(HOST):$(PORT)/"
	@echo "  Demo log-ins (demo city only, password: demo): beheer, bureau, analist,"
	@echo "  financien, partner, school, professional, bewoner (docs/demo.md lists all)"
	@echo ""
	@# The evaluation and report workers run beside the server and stop with it.
	trap 'kill 0' EXIT; $(BIN)/wijkbalans evaluations work & $(BIN)/wijkbalans reports work & \
	  WIJKBALANS_DEMO=1 $(BIN)/wijkbalans runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/wijkbalans makemigrations --check --dry-run -v 0
	$(BIN)/pytest -q --ignore=tests/browser tests

test-postgres: $(STAMP)
	scripts/with-postgres $(BIN)/pytest -q --ignore=tests/browser tests

browser-deps: $(STAMP)
	scripts/install-browser

test-browser: browser-deps
	$(BIN)/pytest -q tests/browser

ci:
	bash .ci/run

benchmark: $(STAMP)
	$(BIN)/python -m benchmarks

lock: $(STAMP)
	$(BIN)/pip-compile --quiet --extra dev --no-emit-index-url --no-emit-find-links \
	  --strip-extras -o requirements.lock pyproject.toml

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache
