# Two commands for a new user: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DOC    := corpora/A_77_L.107

.PHONY: demo test install install-test lint clean

demo: install
	@mkdir -p out
	$(BIN)/align pair $(DOC)/zh.txt $(DOC)/en.txt -o out/A_77_L.107.tmx --force

test: lint
	$(BIN)/pytest -q -n 2  # two workers: about 6 minutes on 2 cores instead of 10

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

# torch is pinned before the 'st' extra so the extra does not pull the newest. Where pip's
# index is PyPI, torch for Linux is the CUDA build (gigabytes more): take the CPU one with
# make test TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH_INDEX ?=

install-test: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/python -m pip install -q torch==2.13.0 \
		$(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/python -m pip install -q -e '.[test,st,docx,pdf]'
	touch $@

lint: install-test
	$(BIN)/ruff check align tests
	$(BIN)/mypy

clean:
	rm -rf out .pytest_cache .ruff_cache .mypy_cache
