# RegSafe: `make dev` runs the platform, `make test` runs every test. Both install what
# they need (a venv in .venv, node_modules in frontend/web) and reuse it while the lock
# files are unchanged; pip and npm caches make reinstalls cheap.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
WEB := frontend/web
PY_STAMP := $(VENV)/.installed
WEB_STAMP := $(WEB)/node_modules/.installed

.PHONY: dev test test-backend test-frontend lint web venv fonts chromium schema bench bench-seed bench-api bench-ocr bench-queue bench-hours bench-verify bench-credit bench-peers bench-cpu clean help

help:
	@echo "make dev    - embedded PostgreSQL + S3, migrate, demo data, API + SPA on :8000"
	@echo "make test   - every test: lint, types, backend (API, browser), frontend"
	@echo "make bench  - benchmarks (benchmarks/results/*.json)"

$(PY_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

venv: $(PY_STAMP)

$(WEB_STAMP): $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(WEB)/dist/index.html: $(WEB_STAMP) $(shell find $(WEB)/src $(WEB)/public $(WEB)/index.html $(WEB)/vite.config.ts $(WEB)/package.json $(WEB)/scripts/compress.mjs -type f 2>/dev/null)
	cd $(WEB) && npm run build --silent

web: $(WEB)/dist/index.html

dev: venv web fonts
	$(BIN)/regsafe dev

# The CJK font every certificate and transcript PDF embeds (apt-get when missing).
fonts:
	@scripts/ensure-fonts.sh

chromium:
	@scripts/ensure-chromium.sh

schema: venv
	$(BIN)/regsafe export-schema

lint: venv
	$(BIN)/ruff check backend tests benchmarks migrations
	$(BIN)/ruff format --check backend tests benchmarks migrations
	$(BIN)/mypy

test-backend: venv web fonts chromium
	$(BIN)/python -m pytest

test-frontend: $(WEB_STAMP)
	cd $(WEB) && npm run --silent codegen:check && npm run --silent lint && npm test --silent

test: lint test-frontend test-backend

bench: bench-seed bench-api bench-ocr bench-queue bench-hours bench-verify bench-credit bench-peers

bench-seed: venv
	$(BIN)/python benchmarks/seed.py --people 20000

bench-api: venv
	$(BIN)/python benchmarks/api.py --people 100000

bench-ocr: venv chromium
	$(BIN)/python benchmarks/ocr.py

bench-queue: venv
	$(BIN)/python benchmarks/review_queue.py --people 100000

bench-hours: venv
	$(BIN)/python benchmarks/hours.py --engineers 100000 --records 2000000

bench-verify: venv
	$(BIN)/python benchmarks/verify.py --leaves 1000000

bench-credit: venv
	$(BIN)/python benchmarks/credit.py --engineers 1000000

# RegSafe against PostGraphile 5 (node 22 and PostGraphile installed into
# benchmarks/peers/ by npm on first use) and raw SQL, on one PostgreSQL.
bench-peers: venv
	$(BIN)/python benchmarks/peers.py --people 100000

bench-cpu: venv
	$(BIN)/python benchmarks/request_cpu.py --people 2000 --requests 300

clean:
	rm -rf $(VENV) $(WEB)/node_modules $(WEB)/dist
