# OneStop: `make run` serves the portal with demo data; `make test` runs every check and test.
# Both install what they need on first use and skip it afterwards.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

# Reuse a build cache outside the clone when the machine has one; otherwise build in ./target.
CACHE_DIR := /var/cache/onestop
export CARGO_TARGET_DIR ?= $(if $(wildcard $(CACHE_DIR)),$(CACHE_DIR)/target,$(CURDIR)/target)
# The npm binaryen's wasm-opt must win over any older system copy (which corrupts current output).
# No incremental state: CI builds from a new clone each time, and it would only pile up.
export CARGO_INCREMENTAL ?= 0
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

# The site lives where cargo-leptos would write it (site-root in Cargo.toml).
SITE_ROOT := $(CURDIR)/target/site
ONESTOP := $(CARGO_TARGET_DIR)/release/onestop
# The server the test build makes (unoptimised, the `testing` helpers compiled in but unused): the
# browser tests run against it, so `make test` compiles the workspace once, not twice.
ONESTOP_TESTED := $(CARGO_TARGET_DIR)/debug/onestop
TESTS := cargo nextest run --locked --config-file .ci/nextest.toml -p app -p onestop-server --features app/testing
RUN_ENV := ONESTOP_SITE_ROOT=$(SITE_ROOT) DATABASE_URL=$${DATABASE_URL:-sqlite://data/onestop.db}

.PHONY: run test build site test-build prune setup-build setup-test lint deny unit e2e sizes bench load scale-out sqlmap-full lighthouse

run: setup-build build
	$(RUN_ENV) $(ONESTOP) migrate
	$(RUN_ENV) $(ONESTOP) seed-demo --with-cases
	$(RUN_ENV) $(ONESTOP) library reindex --if-missing
	@echo "==> OneStop on http://127.0.0.1:3000 (Ctrl-C to stop)"
	$(RUN_ENV) exec $(ONESTOP) serve

test: setup-test prune lint deny site sizes unit e2e

setup-build:
	@.ci/setup.sh build

setup-test:
	@.ci/setup.sh test

# The release server and the browser site, in parallel (.ci/build.sh); `cargo leptos watch`
# remains the development loop.
build:
	.ci/build.sh $(SITE_ROOT)

# The browser site alone, for `make test`.
site:
	.ci/build.sh $(SITE_ROOT) --site-only

test-build:
	$(TESTS) --no-run

# Old copies of the workspace's own build artifacts go, so the shared cache stays bounded.
prune:
	@.ci/prune-cache.sh

lint:
	cargo fmt --all --check
	cargo clippy --locked -p app -p onestop-server --features app/testing --all-targets -- -D warnings
	cargo clippy --locked -p app --no-default-features --features hydrate --target wasm32-unknown-unknown -- -D warnings

# Licences, bans and sources of every dependency (deny.toml); advisories when a local copy of
# their database exists (the script says when it does not).
deny:
	.ci/deny.sh

# Unit, database (SQLite and PostgreSQL) and HTTP integration tests.
unit:
	.ci/with-postgres.sh $(TESTS)

# Browser tests against the test build's server and the release site: JavaScript on and off,
# desktop and phone, on SQLite; one pass (JavaScript on, desktop) with the portal on PostgreSQL;
# sqlmap's quick subset on each database (.ci/sqlmap.sh). Two lanes at once (.ci/e2e-lanes.sh).
e2e: site test-build
	.ci/e2e-lanes.sh $(ONESTOP_TESTED) $(SITE_ROOT)

# The long sqlmap run (every technique, level and risk 2, more forms; about 3 minutes) against the
# browser tests' server, after its shell tests.
sqlmap-full: setup-test build
	ONESTOP_E2E_SQLMAP=full ONESTOP_E2E_ONLY=shell.test.js .ci/e2e.sh $(ONESTOP) $(SITE_ROOT)

# Lighthouse's mobile figures for the main citizen pages (BENCHMARKS.md); on an idle machine.
lighthouse: setup-test build
	.ci/lighthouse.sh $(ONESTOP) $(SITE_ROOT)

# Same-run ratios of portal pages against hand-written baselines (BENCHMARKS.md); not part of
# `make test`, because only ratios measured side by side mean anything on a shared machine.
bench: setup-build
	cargo bench --locked -p onestop-server --bench catalogue
	cargo bench --locked -p onestop-server --bench applications
	cargo bench --locked -p onestop-server --bench cases
	cargo bench --locked -p onestop-server --bench library
	cargo bench --locked -p onestop-server --bench bus
	cargo bench --locked -p onestop-server --bench hospitals

# The load test (BENCHMARKS.md): virtual users with think time over HTTP, the most concurrent
# users held at p95 under 500 ms with no errors, on SQLite and on PostgreSQL.
load: setup-test
	.ci/with-postgres.sh cargo bench --locked -p onestop-server --bench load

# One portal instance against two behind nginx, on one PostgreSQL and one S3-compatible bucket.
scale-out: setup-test build
	.ci/with-postgres.sh .ci/scale-out.sh $(ONESTOP) $(SITE_ROOT)

# The size gate: what a citizen downloads for the islands and the stylesheet (brotli, as served)
# against its budget; fails past it.
sizes: site
	.ci/sizes.sh $(SITE_ROOT)
