# linkages: two commands to know, `make demo` and `make test`.
# Every target installs what it needs from the lockfile when node_modules is
# missing or older than package-lock.json, and rebuilds when sources changed.

SHELL := /bin/bash
NPM ?= npm
NODE ?= node
SOURCES := $(shell find src pipelines schemas -name '*.ts' 2>/dev/null) tsconfig.json
DEMO_DB := ./data/linkages.duckdb
DEMO_OUT := ./out

.PHONY: demo test build bench bench-statewide bench-accuracy clean sample-data typecheck check lint format

node_modules/.installed: package-lock.json package.json
	$(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

dist/.built: node_modules/.installed $(SOURCES)
	npx tsc -p tsconfig.json
	@touch $@

build: dist/.built

demo: build
	$(NODE) dist/src/cli/main.js run \
	  --calworks sample-data/calworks.csv --cws sample-data/cws.csv \
	  --workers sample-data/workers.csv --contacts sample-data/contacts.csv \
	  --db $(DEMO_DB) --out $(DEMO_OUT) --log-level warn

# The static checks: the folders of src/ import one way (layers in src/README.md), lint and
# format, and the type-check of src/ and test/ (in parallel with lint: two cores).
check: node_modules/.installed
	$(NODE) scripts/check-layers.mjs
	@npx tsc -p tsconfig.test.json & tsc=$$!; \
	$(MAKE) --no-print-directory lint || { kill $$tsc 2>/dev/null; exit 1; }; \
	wait $$tsc || { echo "make check: type errors (npx tsc -p tsconfig.test.json)"; exit 1; }

# The browser test needs Debian's chromium: installed here when possible, else skipped with a notice.
# `npm test` runs this target.
test: build check
	@skip=$$(scripts/ensure-chromium.sh) || exit 1; \
	LINKAGES_SKIP_BROWSER=$$( [ "$$skip" = skip ] && echo 1 || echo 0 ) npx vitest run --config test/vitest.config.ts

# The sources and the tests (tsconfig.test.json: test/ too, no output).
typecheck: node_modules/.installed
	npx tsc -p tsconfig.test.json

# ESLint (eslint.config.mjs) and Prettier's verdict (.prettierrc.json); `make format` rewrites.
lint: node_modules/.installed
	npx eslint --cache --cache-location node_modules/.cache/eslint/ .
	npx prettier --check --cache --log-level warn .

format: node_modules/.installed
	npx prettier --write --cache --log-level warn .

# Regenerate the committed sample extracts (deterministic for the seed).
sample-data: build
	$(NODE) dist/src/cli/main.js synth --families 2000 --seed 2026 --out sample-data

bench: build
	$(NODE) --expose-gc dist/src/bench/run.js

# The whole state on this one server: 1,500,000 families (about 6 million rows), default config.
bench-statewide: build
	BENCH_FAMILIES=$${BENCH_FAMILIES:-1500000} BENCH_ONLY=floor,run $(NODE) --expose-gc dist/src/bench/run.js

bench-accuracy: build
	$(NODE) dist/src/bench/accuracy.js

clean:
	rm -rf dist .bench
