# Fresh-machine friendly: every target installs what it needs first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE := sample_records/request-001
SAMPLE_OUT := sample_records/request-001-disclosure

.PHONY: install system-deps run test test-all lint quality bench samples screenshot clean

install: $(STAMP)

# Debian packages (as root, after apt-get update) only when something is missing.
system-deps:
	@scripts/install-system-deps.sh

$(STAMP): pyproject.toml constraints.txt scripts/install-system-deps.sh
	@$(MAKE) --no-print-directory system-deps
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

run: install
	@rc=0; $(BIN)/redact batch $(SAMPLE) --out $(SAMPLE_OUT) || rc=$$?; \
	if [ $$rc -eq 0 ] || [ $$rc -eq 3 ]; then \
	  echo "The disclosure package is in $(SAMPLE_OUT)/ (release/ is what goes to the requester)."; \
	  [ $$rc -eq 3 ] && echo "Exit code 3: some documents were withheld for manual review (see above)."; exit 0; \
	else exit $$rc; fi

test: install
	$(BIN)/python -m pytest -q

test-all: install
	$(BIN)/python -m pytest -q -m ""

lint: install
	$(BIN)/ruff check .

quality: install
	$(BIN)/python scripts/quality.py $(ARGS)

bench: install
	$(BIN)/python scripts/bench.py --docs 200 --jobs 1
	$(BIN)/python scripts/bench.py --docs 200 --jobs 2
	$(BIN)/python scripts/bench.py --pdf --pages 40 --scans 4 --jobs 1
	$(BIN)/python scripts/bench.py --mbox 1000
	$(BIN)/python scripts/bench_scale.py

samples: install
	$(BIN)/python scripts/make_sample_records.py $(SAMPLE)

# The review report of the sample request, as docs/report-screenshot.png shows it.
screenshot: install
	-@$(MAKE) --no-print-directory run
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1500 \
	  --screenshot=docs/report-screenshot.png $(abspath $(SAMPLE_OUT))/review/report.html 2>/dev/null

clean:
	rm -rf $(VENV) $(SAMPLE_OUT) .pytest_cache .ruff_cache
