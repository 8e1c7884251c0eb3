# Two commands do all the set-up: `make book` and `make test`. Only Python 3.11+ is assumed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ARGS   ?=
# axe-core for the browser test's accessibility check, from npm (pinned in tests/axe/package.json,
# locked in its package-lock.json); the test reads it from disk, with no network.
AXE    := tests/axe/node_modules/axe-core/axe.min.js

.PHONY: book site pdf edition test test-fast lint bench chromium clean

# Each step says what it does; pip shows each package it fetches and installs.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { echo "[1/3] creating $(VENV) …"; $(PYTHON) -m venv $(VENV); }
	@echo "[2/3] updating pip …"
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "[3/3] installing the book's packages (Jupyter Book, pandas, Altair, papermill, …) …"
	@$(BIN)/python -m pip install --progress-bar on --disable-pip-version-check -e ".[test]"
	@touch $@

## Build the book from the embedded data into _build/html (ARGS="--set smelting.power_price_cny_kwh=0.45").
book: $(STAMP)
	$(BIN)/aluminium build $(ARGS)

## The published site: the base book and every scenario, with switchers, into _build/site.
site: $(STAMP)
	$(BIN)/aluminium build --all-scenarios $(ARGS)

## The whole book as one PDF (_build/aluminium-chain.pdf): every chart drawn, contents, page numbers.
pdf: book chromium
	$(BIN)/python -m aluminium.book.pdf _build/html _build/aluminium-chain.pdf

## Keep the built book's edition and key figures as the previous edition (its changelog's baseline).
edition: book
	$(BIN)/python -m aluminium.book.edition save _build/html

## Run the whole test suite (lint, unit, end-to-end build, headless browser with axe-core).
test: $(STAMP) chromium lint $(AXE)
	$(BIN)/python -m pytest -q --durations=15

## The quick loop (under a minute): lint and the unit tests, no book build and no browser.
test-fast: $(STAMP) lint
	$(BIN)/python -m pytest -q -m "not build and not browser"

## ruff on the package, the tests and the chapters (each chapter converted to Python by jupytext).
lint: $(STAMP)
	$(BIN)/ruff check aluminium tests tools
	@$(BIN)/jupytext --quiet --check "$(abspath $(BIN))/ruff check --quiet {}" chapters/*.md

## Timings and page weights: clean, no-op, one parameter, every scenario; bytes per page.
bench: $(STAMP)
	$(BIN)/python tools/bench.py

# Debian's Chromium for the browser tests, installed when no Chromium or Chrome is present
# (root or sudo), with the CJK fonts the reports' Chinese captions need.
# CHROMIUM=/path/to/browser points the tests at another build.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

$(AXE): tests/axe/package.json tests/axe/package-lock.json
	@command -v npm >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm ci --prefix tests/axe --no-audit --no-fund --loglevel=error
	@touch $@

clean:
	rm -rf _build
