# lf-export developer commands. Everything runs inside .venv, created from the system python3 (>= 3.11).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
export PATH := $(CURDIR)/$(BIN):$(PATH)

SPEC := openapi/laserfiche-repository-v2.yaml
GEN_CONFIG := generator-config.yml
GEN_DIR := generated/lf_repository_v2
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

# `make test-min`: the runtime dependencies (and the cli, cloud and emulator extras) at the lowest versions
# pyproject.toml allows (uv's lowest-direct resolution), in their own venv inside .venv (so the clean and
# ignore rules cover it), then the client, spec-wire, e2e and CLI tests there. Test tools are installed
# normally, constrained so that they cannot lift a runtime dependency above its floor.
MIN_VENV := $(VENV)/min
MIN_PY := $(MIN_VENV)/bin/python
MIN_STAMP := $(MIN_VENV)/.installed
MIN_TESTS ?= tests/wrapper tests/spec/test_generated_wire.py tests/e2e tests/cli
UV := $(BIN)/uv

.PHONY: help install generate check-generated lint spec-validate test test-min demo bench chaos spec-interop docs docs-serve docs-check clean

help:
	@echo "make install          create .venv and install lf-export[dev,cli,emulator,cloud] (idempotent)"
	@echo "make generate         regenerate generated/ from $(SPEC)"
	@echo "make check-generated  fail if generated/ differs from a fresh generation"
	@echo "make lint             ruff check + format --check, mypy --strict, spec validation"
	@echo "make test             install, check-generated, lint, the whole test suite, then test-min"
	@echo "make test-min         client, e2e and CLI tests against the lowest allowed dependency versions"
	@echo "make demo             start the emulator on a free port and run real exports with the CLI"
	@echo "make bench            print benchmark figures and write bench/results.json"
	@echo "make chaos            the reliability suite at its larger size"
	@echo "make spec-interop     lint the spec; generate TypeScript, Python (and Go) clients and run the flows on an emulator"
	@echo "make docs             build the documentation site into site/ (mkdocs build --strict)"
	@echo "make docs-serve       preview the documentation site at http://127.0.0.1:8000 (rebuilds on change)"
	@echo "make docs-check       build the site, open it in headless Chromium: screenshots, search for ExportOptions"

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "lf-export needs Python >= 3.11, found " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=23.2"
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev,cli,emulator,cloud]"
	@touch $(STAMP)

generate: $(STAMP)
	rm -rf $(GEN_DIR)
	$(BIN)/openapi-python-client generate --path $(SPEC) --config $(GEN_CONFIG) \
	  --meta none --output-path $(GEN_DIR) --fail-on-warning
	@echo "generated $(GEN_DIR) from $(SPEC)"

check-generated: $(STAMP)
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(BIN)/openapi-python-client generate --path $(SPEC) --config $(GEN_CONFIG) \
	  --meta none --output-path "$$tmp/lf_repository_v2" --fail-on-warning >"$$tmp/log" 2>&1 \
	  || { cat "$$tmp/log"; echo "check-generated: generation failed"; exit 1; }; \
	find "$$tmp" -name __pycache__ -prune -exec rm -rf {} +; \
	if ! diff -r -x __pycache__ -x .ruff_cache "$$tmp/lf_repository_v2" $(GEN_DIR) >"$$tmp/diff"; then \
	  head -n 60 "$$tmp/diff"; \
	  echo; echo "check-generated: generated/ is stale or hand-edited. Run 'make generate' and commit the spec and generated/ together."; \
	  exit 1; \
	fi; echo "check-generated: generated/ matches $(SPEC)"

spec-validate: $(STAMP)
	$(PY) -m openapi_spec_validator $(SPEC)
	$(PY) tools/check_spec_examples.py $(SPEC)

lint: $(STAMP) spec-validate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(STAMP) check-generated lint docs
	$(PY) -m pytest $(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-min
	$(MAKE) --no-print-directory spec-interop

$(MIN_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check "uv>=0.5"
	rm -rf $(MIN_VENV)
	$(UV) venv --quiet --python $(PY) $(MIN_VENV)
	$(UV) pip install --quiet --python $(MIN_PY) --resolution lowest-direct -e ".[cli,cloud,emulator]"
	$(UV) pip freeze --python $(MIN_PY) --exclude-editable >$(MIN_VENV)/floors.txt
	$(UV) pip install --quiet --python $(MIN_PY) --constraint $(MIN_VENV)/floors.txt \
	  "pytest>=8.0" "pytest-asyncio>=0.24" "pytest-timeout>=2.3" "hypothesis>=6.100" "pypdf>=4.0" \
	  "pexpect>=4.9" "psutil>=5.9"
	@echo "test-min: lowest direct versions:"; \
	  $(UV) pip list --python $(MIN_PY) | grep -iE '^(httpx|attrs|python-dateutil|stamina|emoji|anyio|click|rich|platformdirs|pyjwt) ' || true
	@touch $(MIN_STAMP)

test-min: $(MIN_STAMP)
	$(MIN_PY) -m pytest -q -p no:cacheprovider $(MIN_TESTS) $(PYTEST_ARGS)

demo: $(STAMP)
	$(PY) tools/demo.py

bench: $(STAMP)
	$(PY) bench/run_all.py

chaos: $(STAMP)
	LF_CHAOS_SIZE=large $(PY) -m pytest -m chaos tests/chaos $(PYTEST_ARGS)

# Pinned tools (interop/typescript/package-lock.json, interop/python/requirements.txt), cached in .spec-interop/;
# needs node >= 20.19 + npm and Java >= 11; Go runs only when a Go toolchain is on PATH (skipped with the reason).
spec-interop: $(STAMP)
	tools/spec_interop.sh $(SPEC)

# The documentation site (mkdocs.yml, docs/): strict, so a broken link, a missing reference or a docstring that
# does not render fails the build. The docs tools are in the dev extra (also `pip install 'lf-export[docs]'`).
DOCS_ENV := NO_MKDOCS_2_WARNING=1

docs: $(STAMP)
	$(DOCS_ENV) $(BIN)/mkdocs build --strict --quiet
	@echo "docs: built site/ (open site/index.html, or make docs-serve)"

docs-serve: $(STAMP)
	$(DOCS_ENV) $(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

# Needs Debian's chromium: installed here with apt-get when it is missing and we are root; otherwise the check
# says why it skips (and exits 0). Screenshots land in .docs-check/ (git-ignored).
docs-check: docs
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "docs-check: installing chromium (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	      || echo "docs-check: apt-get could not install chromium"; \
	  else echo "docs-check: chromium is missing and apt-get needs root: skipping the browser check"; fi; \
	fi
	$(PY) tests/docs/site_check.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis site .docs-check
