# briefconvert — two commands on a fresh machine:
#   make demo   installs, then converts the sample brief to every available format (demo-out/)
#   make test   installs, then runs lint, type checks and the whole test suite
#               (including `make conformance`: Ace, axe-core and EPUBCheck on real outputs)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SHARED ?= ../shared
VALIDATE := $(SHARED)/tools/validate

.PHONY: install demo test lint typecheck pytest validators conformance bench eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)

demo: $(STAMP)
	rm -rf demo-out
	$(BIN)/briefconvert fixtures/brief/brief.html --to all -o demo-out/
	@echo
	@echo "Demo outputs (from fixtures/brief/brief.html):"
	@find demo-out -type f | sort | sed 's/^/  /'

# The external validators (axe-core, Nu checker, EPUBCheck...) live beside the
# checkout in ../shared; their setup installs Chromium, Java and npm packages.
validators:
	@if [ -f "$(VALIDATE)/setup.sh" ]; then bash "$(VALIDATE)/setup.sh" >/dev/null || exit 1; \
	 else echo "note: $(VALIDATE) not found; validator tests will be skipped (they fail in CI)"; fi

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) validators
	$(BIN)/pytest -m "not conformance"

# Ace by DAISY, axe-core and EPUBCheck from the project's own tools/conformance
# (its setup installs Chromium, Java and the pinned npm packages when missing).
conformance: $(STAMP)
	bash tools/conformance/setup.sh
	$(BIN)/pytest -m conformance

test: lint typecheck pytest conformance fuzz-ci

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_html.py
	$(BIN)/python benchmarks/bench_docx.py
	$(BIN)/python benchmarks/bench_pdf.py
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/bench_vs_pandoc.py

# batch: --jobs 2 vs --jobs 1 throughput, then the issue's 1,000-input acceptance scenario
.PHONY: bench-batch
bench-batch: $(STAMP)
	$(BIN)/python benchmarks/bench_batch.py
	$(BIN)/python benchmarks/batch_acceptance.py

eval: $(STAMP)
	$(BIN)/python benchmarks/eval_html.py --output
	$(BIN)/python benchmarks/eval_pdf.py

clean:
	rm -rf $(VENV) demo-out .pytest_cache .mypy_cache .ruff_cache build src/*.egg-info

# fuzz: one atheris target per reader (fuzz/), FUZZ_TIME seconds each; a
# crash, a hang (-timeout) or a memory blow-up (-rss_limit_mb) fails the run
# and leaves the input in $(FUZZ_ARTIFACTS).  fuzz-ci: a short run for CI.
FUZZ_TIME ?= 20
FUZZ_FLAGS ?=
FUZZ_TARGETS := html pdf json docx epub
FUZZ_ARTIFACTS ?= $(or $(TMPDIR),/tmp)/briefconvert-fuzz-artifacts/
.PHONY: fuzz fuzz-ci
fuzz: $(STAMP)
	@mkdir -p $(FUZZ_ARTIFACTS)
	@for t in $(FUZZ_TARGETS); do \
	  echo "fuzz_$$t: $(FUZZ_TIME) s"; \
	  $(BIN)/python fuzz/fuzz_$$t.py -max_total_time=$(FUZZ_TIME) $(FUZZ_FLAGS) -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=$(FUZZ_ARTIFACTS)$$t- >$(FUZZ_ARTIFACTS)$$t.log 2>&1; status=$$?; \
	  grep -E '^(Done|SUMMARY)|Error|^  File "[^"]*briefconvert' $(FUZZ_ARTIFACTS)$$t.log | tail -12; \
	  test $$status -eq 0 || { echo "fuzz_$$t failed: see $(FUZZ_ARTIFACTS)$$t.log"; exit 1; }; \
	done

fuzz-ci:  # short and seeded, so that CI is repeatable
	$(MAKE) fuzz FUZZ_TIME=5 FUZZ_FLAGS=-seed=1
