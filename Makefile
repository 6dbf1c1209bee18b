# fmlab: two commands on a fresh machine.
#   make book   builds the site into _build/html (creates .venv, installs everything pinned)
#   make test   lint, types, unit/property/CLI tests, every notebook, the book, the browser
# Also: make serve | lab | slides | slides-pdf | bench | clean.
# Nothing here needs anything installed by hand.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
BOOK_FLAGS := --all -W -n --keep-going
# Installed-state stamps: each is rebuilt when its inputs change.
BOOK_STAMP := $(VENV)/.book-installed
DEV_STAMP  := $(VENV)/.dev-installed
LAB_STAMP  := $(VENV)/.lab-installed
VENDOR_STAMP := book/_vendor/.versions.json
# axe-core for the browser tests, kept out of the site (scripts/vendor_js.py).
TEST_VENDOR_STAMP := tests/browser/_vendor/.versions.json

.PHONY: help book test serve lab pdf bench bench-differential clean system system-browser lint typecheck unit notebooks build-book browser slides slides-pdf iam-peer

help:
	@echo "make book    build the site into _build/html (sets up .venv on first run)"
	@echo "make test    run every check CI runs: lint, types, tests, notebooks, book, browser"
	@echo "make serve   serve _build/html on http://127.0.0.1:$(PORT)"
	@echo "make lab     JupyterLab with the chapters opened as notebooks"
	@echo "make pdf     the whole book as one PDF, _build/pdf/fmlab.pdf (printed by Chromium)"
	@echo "make slides  each chapter's lightning-talk and workshop decks into _build/html/slides"
	@echo "make slides-pdf   the decks as PDF files in _build/slides-pdf"
	@echo "make bench   run benchmarks/ and write benchmarks/results/"
	@echo "make bench-differential   the IAM engines compared on a million requests, and"
	@echo "                          fmlab against an independent evaluator on 25,000 scenarios"
	@echo "make clean   remove the build, caches and .venv"

# --- set-up -------------------------------------------------------------------------

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "fmlab needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==24.3.1"

$(BOOK_STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

$(DEV_STAMP): requirements-dev.txt $(BOOK_STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

$(LAB_STAMP): requirements-lab.txt $(BOOK_STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-lab.txt
	@touch $@

# Graphviz's dot draws every diagram; Chromium runs the browser tests; SPIN and gcc
# check the model-checking chapter's Promela twins.
system:
	@bash scripts/ensure_system.sh dot spin gcc

system-browser:
	@bash scripts/ensure_system.sh dot spin gcc chromium

# The independent IAM evaluator the differential tests compare fmlab with (pinned npm
# packages in a cache outside the repository; nothing to do when already there).
iam-peer: $(BOOK_STAMP)
	@bash scripts/ensure_system.sh npm
	@$(BIN)/python scripts/iam_peer.py

$(VENDOR_STAMP) $(TEST_VENDOR_STAMP): scripts/vendor_js.py
	@bash scripts/ensure_system.sh npm
	$(BIN)/python scripts/vendor_js.py
	@touch $(VENDOR_STAMP) $(TEST_VENDOR_STAMP)

# --- the site -----------------------------------------------------------------------

book: $(BOOK_STAMP) system $(VENDOR_STAMP)
	$(BIN)/jupyter-book build $(BOOK_FLAGS) .
	$(BIN)/python scripts/slides.py build
	@echo "The site is in $(CURDIR)/_build/html (open index.html, or run: make serve)"

serve:
	@test -f _build/html/index.html || { echo "no site yet: run make book first"; exit 2; }
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

# jupytext (in requirements.txt) lets JupyterLab open the MyST .md chapters as notebooks.
lab: $(LAB_STAMP) system
	$(BIN)/jupyter lab --notebook-dir=. --ServerApp.ip=127.0.0.1

# The whole book through the browser tests' Chromium; fails on text cut off in print or a
# missing witness. `make test` prints a two-page subset (tests/browser/test_pdf.py).
PDF_WITNESS := refuted: NoContradiction
pdf: $(DEV_STAMP) system-browser _build/html/index.html
	$(BIN)/python scripts/book_pdf.py --expect "$(PDF_WITNESS)"

# The decks are built from the notebooks the book build executed (make book builds them
# too); make slides only re-renders them, after a change to slide metadata, say.
slides: $(BOOK_STAMP) $(VENDOR_STAMP) _build/html/index.html
	$(BIN)/python scripts/slides.py build

slides-pdf: $(DEV_STAMP) system-browser slides
	$(BIN)/python scripts/slides.py pdf

# --- the checks ---------------------------------------------------------------------

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests benchmarks scripts book/_ext
	$(BIN)/ruff format --check src tests benchmarks scripts book/_ext

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

unit: $(DEV_STAMP) system iam-peer
	$(BIN)/python -m pytest -q -m "not notebooks and not browser" -n 2

notebooks: $(DEV_STAMP) system
	$(BIN)/python -m pytest -q -m notebooks -n 2

build-book: book

# The browser tests check the built site: build it first when there is none (`make test`
# has just rebuilt it; after editing the book alone, run `make book` again).
_build/html/index.html:
	$(MAKE) --no-print-directory book

browser: $(DEV_STAMP) system-browser $(TEST_VENDOR_STAMP) _build/html/index.html
	$(BIN)/python -m pytest -q -m browser -p no:xdist

test: $(DEV_STAMP) system-browser $(VENDOR_STAMP)
	$(MAKE) --no-print-directory lint typecheck unit notebooks build-book browser
	@echo "make test: all checks passed"

bench: $(DEV_STAMP) system
	$(BIN)/python benchmarks/run.py

# The long differential runs of the IAM engines: fmlab against the independent evaluator
# on 25,000 seeded scenarios (a few minutes; the table of disagreement classes lands in
# benchmarks/results/), then fmlab's two engines on 50,000 generated policy sets of 20
# requests each (a million requests; about 45 minutes on two cores).
bench-differential: $(DEV_STAMP) iam-peer
	FMLAB_PEER_SCENARIOS=$(or $(PEER_SCENARIOS),25000) \
		FMLAB_PEER_REPORT=benchmarks/results/iam-peer-differential.json \
		$(BIN)/python -m pytest -q -p no:xdist -p no:cacheprovider tests/iam/test_peer_differential.py
	FMLAB_DIFFERENTIAL_POLICY_SETS=$(or $(POLICY_SETS),50000) $(BIN)/python -m pytest -q \
		-p no:xdist -p no:cacheprovider tests/iam/test_differential.py

clean:
	rm -rf _build .pytest_cache .mypy_cache .ruff_cache .hypothesis book/_vendor $(VENV)
