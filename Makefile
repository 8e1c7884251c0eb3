# Two commands do all the set-up: `make book` and `make test`. Only Python 3.11+ is assumed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ARGS   ?=

.PHONY: book test bench chromium clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

## Build the book from the embedded data into _build/html (ARGS="--set smelting.power_price_cny_kwh=0.45").
book: $(STAMP)
	$(BIN)/aluminium build $(ARGS)

## Run the whole test suite (unit, end-to-end build, headless browser).
test: $(STAMP) chromium
	$(BIN)/python -m pytest -q

## Timings: clean build, no-op rebuild, per-chapter execution.
bench: $(STAMP)
	$(BIN)/python -m aluminium.bench

# Debian's Chromium for the browser tests, installed when no Chromium or Chrome is present
# (root or sudo). CHROMIUM=/path/to/browser points the tests at another build.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf _build
