# Two commands do all set-up on a fresh machine (see README):
#   make reports   install, then write reports for corpus/ against references/ into reports/
#   make test      install with test dependencies, then run the tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: reports test bench clean

reports: $(VENV)/.installed
	$(BIN)/mtlint report corpus references -o reports --fail-on never

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# The CPU build of torch first: an unpinned torch pulls a multi-GB CUDA build.
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e .
	sh scripts/system-deps.sh runtime
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	sh scripts/system-deps.sh test
	touch $@

clean:
	rm -rf $(VENV) reports
