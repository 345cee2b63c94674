# Two commands on a fresh Debian machine with Python 3.11:
#   make run    create .venv if missing, install the project, open the editor on the example model
#   make test   create/update .venv and run the whole test suite offscreen
# and for contributors:
#   make lint   ruff (lint + format check), mypy, import-linter layer contracts
#   make fuzz   the standing fuzz test with a large budget (FUZZ_EXAMPLES, default 5000 per reader)
#   make bench  every benchmark, pytm 1.4.0 beside ours; writes benchmarks/RESULTS.md
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
QT_LIBS := libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3 libglib2.0-0
TEST_DEBS := poppler-utils
MODEL ?= models/docker-host.yaml

FUZZ_EXAMPLES ?= 5000

.PHONY: run test lint format fuzz bench system-deps venv clean

run: venv
	$(BIN)/stride-desktop $(MODEL)

test: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# tests/fuzz with a large budget (make test runs it with a small one); failures are kept in
# .hypothesis/ and replayed first on the next run.
fuzz: venv
	QT_QPA_PLATFORM=offscreen STRIDE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/fuzz \
	  --hypothesis-show-statistics

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Installs the bench extra (OWASP pytm 1.4.0, for the side-by-side) once, then runs everything.
bench: venv $(VENV)/.bench-installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run_all.py

$(VENV)/.bench-installed: pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	@touch $@

# Rewrites files: ruff's safe fixes and the formatter.
format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

venv: system-deps $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,lint]"
	@touch $@

# Qt's runtime libraries (and pdftoppm for the report tests): installed with apt-get when
# running as root, otherwise the exact command is printed.
system-deps:
	@missing=""; for pkg in $(QT_LIBS) $(TEST_DEBS); do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "Missing system packages. Run:"; \
	    echo "  sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) build dist *.egg-info
