# Two commands do all set-up on a fresh machine (see README):
#   make reports   install, then write reports for corpus/ against references/ into reports/
#   make test      install with test dependencies, then run the tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: reports test bench model clean

# The configured gate (default: major) judges the reports; every report is written either way.
# Exit 1 means "written, gate failed": said, and the target still succeeds; any other failure
# (2: bad input or usage) fails it.
reports: $(VENV)/.installed
	@rc=0; $(BIN)/mtlint report corpus references -o reports || rc=$$?; \
	if [ $$rc -eq 1 ]; then echo "make reports: reports written to reports/; the quality gate FAILED (see reports/index.html)"; \
	elif [ $$rc -ne 0 ]; then echo "make reports: mtlint report failed (exit $$rc)" >&2; exit $$rc; \
	else echo "make reports: reports written to reports/; the quality gate passed"; fi

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

# Rebuild the fine-tuned quality-estimation cross-encoder from ../shared (train splits only):
# the error curriculum, training (resumable: run again after an interruption), thresholds on the
# held-out tenth of train, and the dev figures beside the shipped head.  About 30 min on 2 cores.
RUNS ?= ../runs
SEED ?= 13
model: $(VENV)/.installed-test
	mkdir -p $(RUNS)
	test -f $(RUNS)/curriculum.jsonl || $(BIN)/python bench/train/curriculum.py $(RUNS)/curriculum.jsonl \
		--real --ced-real 2500 --limit 4000 --seed 13
	$(BIN)/python bench/train/train_cross_encoder.py $(RUNS)/curriculum.jsonl --out $(RUNS)/seed-$(SEED) \
		--epochs 1 --seed $(SEED) --holdout 0.1 --states $(RUNS)
	$(BIN)/python bench/eval/cross_encoder.py $(RUNS)/seed-$(SEED)/deltas.npz --data $(RUNS)/curriculum.jsonl \
		--holdout 0.1 --pack $(RUNS)/seed-$(SEED)/qe-cross.npz

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
