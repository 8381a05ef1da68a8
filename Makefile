# Two commands: `make run` starts the product, `make test` runs every test.
# Both create .venv and install what they need, Debian packages included.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UNO_VENV := .venv-uno
HOME_DIR ?= $(CURDIR)
HOST   ?= 127.0.0.1
PORT   ?= 8000

# Debian packages the tests use for real: LibreOffice (DOCX → PDF), metric-compatible fonts,
# poppler (pdftotext/pdftoppm), openssl, PT Sans (1000 units per em) for the signature mark on PDFs,
# Chromium for the browser tests (Playwright drives Debian's headless shell,
# /usr/bin/chromium-headless-shell; never `playwright install`; chromium for a look by hand),
# PostgreSQL (the register and signing tests also run on a throw-away cluster, tests/postgres.py).
APT_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2 fonts-paratype poppler-utils openssl chromium \
  chromium-headless-shell postgresql
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench lint format templates system-packages install install-test clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[bench]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Устанавливаю пакеты Debian:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

## make run [DEMO=1]: init the home (the first administrator) and start the web service + folder
## watcher on :8000; DEMO=1 also makes one sample user per role while the school has no users of
## its own (logins and passwords printed once) and puts the example workbook into inbox/
run: install
	NASTAVNIK_HOME=$(HOME_DIR) $(BIN)/nastavnik init
	$(if $(DEMO),NASTAVNIK_HOME=$(HOME_DIR) $(BIN)/nastavnik demo-users,)
	NASTAVNIK_HOME=$(HOME_DIR) NASTAVNIK_HOST=$(HOST) NASTAVNIK_PORT=$(PORT) \
	  $(BIN)/nastavnik run $(if $(DEMO),--demo,)

## make test: every test, with real files, SQLite, LibreOffice and openssl, in TEST_WORKERS
## processes (pytest-xdist; docs/testing.md); TEST_WORKERS=0 runs them in this one process.
## Compiled modules are kept (__pycache__/, ignored by git) even where the environment sets
## PYTHONDONTWRITEBYTECODE: each worker otherwise rewrites the asserts of all test modules again
## (8-9 s of CPU a worker) and every command the tests start compiles service/ again.
## Three workers on two cores: a worker waits for a process (LibreOffice, a command, a server,
## Chromium) much of its time, and the third fills it (docs/testing.md, «Time»)
TEST_WORKERS ?= 3
test: system-packages install-test
	$(BIN)/ruff check service tests
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n $(TEST_WORKERS)

## make bench: the benchmark suite (not part of make test): prints each target (issue 15's as
## ratios to a plain docxtpl loop timed in the same run) with «met» or «NOT MET»; results in
## bench/results/<date>.json and the tables in docs/performance.md; BENCH_ARGS=--quick for one
## run of each measurement and smaller sizes (no XL), BENCH_ARGS='--only targets pdf' for some
bench: $(VENV)/.installed-bench $(UNO_VENV)/bin/unoserver
	PATH="$(CURDIR)/$(UNO_VENV)/bin:$$PATH" $(BIN)/python -m bench $(BENCH_ARGS)

# The kept-alive converter the benchmark compares (issue 15): unoserver needs LibreOffice's UNO
# bridge, Debian's python3-uno, which only Debian's own Python imports — so a venv of that Python
# that sees its packages, beside .venv; the product itself does not use it
$(UNO_VENV)/bin/unoserver:
	@dpkg -s python3-uno >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends python3-uno; }
	/usr/bin/python3 -m venv --system-site-packages $(UNO_VENV)
	$(UNO_VENV)/bin/pip install --quiet unoserver

lint: install-test
	$(BIN)/ruff check service tests tools
	$(BIN)/ruff format --check service tests tools

format: install-test
	$(BIN)/ruff format service tests tools
	$(BIN)/ruff check --fix service tests tools

## make templates: regenerate templates_docx/ with tools/template_builder (overwrites edits made in Word)
templates: install
	$(BIN)/python -m tools.template_builder templates_docx

clean-venv:
	rm -rf $(VENV)
