# 干事档案 — the two commands a developer needs: `make run` and `make test`.
# Every target installs what it needs first, so a fresh Debian/Ubuntu (or
# 统信UOS/麒麟) machine needs nothing but git, make, cargo and npm.

SHELL := /bin/bash
.DEFAULT_GOAL := run

CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR
APP := $(CARGO_TARGET_DIR)/debug/ganshi-app
CLI := $(CARGO_TARGET_DIR)/debug/ganshi
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENV := tests/e2e/.venv
XVFB := xvfb-run -a -s '-screen 0 1280x800x24'

BUILD_PKGS := libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev libclang-dev
TEST_PKGS := xvfb xauth webkit2gtk-driver imagemagick fonts-noto-cjk python3-venv \
             libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils

.PHONY: package package-test run test deps-build deps-test ui build lint fmt fmt-check clippy types types-check \
        test-core test-ui e2e demo clean-e2e bench

## make run: install what is missing, build, open the window (on the demo archive the first time).
run: build
	$(APP) --demo-if-none

## make test: everything — lints, generated-types drift, core tests, UI tests, end-to-end in the real window.
## Each phase is timed (tests/tools/phases.sh); the table is printed at the end.
test:
	@MAKE='$(MAKE)' tests/tools/phases.sh deps-test fmt-check build clippy test-core test-ui e2e

define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "安装系统软件包: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps-build:
	$(call apt_install,$(BUILD_PKGS))
	@cd ui && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }

deps-test: deps-build
	$(call apt_install,$(TEST_PKGS))
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --version '^2'
	@[ -x $(VENV)/bin/pytest ] || { python3 -m venv $(VENV) && $(VENV)/bin/pip install -q -r tests/e2e/requirements.txt; }

ui: deps-build
	cd ui && npx vue-tsc --noEmit && npx vite build

build: ui
	cargo build --workspace

fmt:
	cargo fmt --all

fmt-check:
	cargo fmt --all -- --check

clippy: deps-build
	cargo clippy --workspace --all-targets -- -D warnings

## Regenerate ui/src/api/types.ts from the Rust DTOs.
types:
	UPDATE_TYPES=1 cargo test -p ganshi --test core generated_typescript_types_have_not_drifted

test-core:
	cargo test --workspace

test-ui: deps-build
	cd ui && npx vue-tsc --noEmit && npx vitest run

e2e: build deps-test
	GANSHI_APP=$(APP) GANSHI_CLI=$(CLI) $(XVFB) $(VENV)/bin/pytest -q tests/e2e

## The demo archive's administrator password (and its demo users'): override with DEMO_PASSWORD=….
DEMO_PASSWORD ?= demo-Passw0rd
demo: build
	rm -f /tmp/ganshi-demo.db* && GANSHI_PASSWORD='$(DEMO_PASSWORD)' $(CLI) --db /tmp/ganshi-demo.db demo --cadres 200 --seed 7

## make package: the release installer into dist/ — a .deb for this machine's architecture (Tauri's
## bundler, from the npm package @tauri-apps/cli), with the CLI `ganshi` and its Chinese man page.
PKG_DIR := src-tauri/binaries
package: deps-build ui
	cargo build --release -p ganshi --bin ganshi
	mkdir -p $(PKG_DIR) dist
	rm -f dist/*.deb $(CARGO_TARGET_DIR)/release/bundle/deb/*.deb
	cp $(CARGO_TARGET_DIR)/release/ganshi $(PKG_DIR)/ganshi
	strip $(PKG_DIR)/ganshi
	gzip -9n < docs/man/ganshi.1 > $(PKG_DIR)/ganshi.1.gz
	cd src-tauri && ../ui/node_modules/.bin/tauri build --no-bundle --ci
	strip $(CARGO_TARGET_DIR)/release/ganshi-app
	cd src-tauri && ../ui/node_modules/.bin/tauri bundle --bundles deb --ci
	cp $(CARGO_TARGET_DIR)/release/bundle/deb/*.deb dist/
	ls -l dist/*.deb

## make package-test: the .deb checked (control data, contents, lintian), installed with apt, its
## window started, removed with apt (the user's archive stays): tests/package/check-deb.sh.
package-test: package deps-test
	$(call apt_install,lintian man-db)
	tests/package/check-deb.sh

## make bench: the issue-6 figures (docs/performance.md) on the province fixture, built on
## first use into $(CARGO_TARGET_DIR)/bench (≈ 20 min once); BENCH_PRESET=city for the smaller one,
## BENCH_PRESET=city20 for a city that merged twenty counties' exchange packages (≈ 15 min once, issue 19).
BENCH_PRESET ?= province
bench: deps-test ui
	cargo build --release -p ganshi-app
	BENCH_PRESET=$(BENCH_PRESET) cargo bench --bench province
	$(XVFB) $(VENV)/bin/python bench/app.py $(CARGO_TARGET_DIR)/release/ganshi-app $(CARGO_TARGET_DIR)/bench/$(BENCH_PRESET).db
	python3 bench/table.py
