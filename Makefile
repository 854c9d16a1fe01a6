# complaints: civil-rights complaint intake and case tracking.
# `make run` serves the app on the embedded SQLite database; `make test` runs every test.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app complaints
STAMPS := .make
VENDOR := static/vendor

.DEFAULT_GOAL := help
.PHONY: help run test lint bench screenshots translations compile-translations assets db install chromium clamav clean

help: ## Show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-22s %s\n", $$1, $$2}'

$(STAMPS)/venv: pyproject.toml constraints.txt
	@mkdir -p $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

install: $(STAMPS)/venv ## Create .venv and install the app with its development tools

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The public stylesheets, the Chinese and Korean page fonts (cut from the catalogs' text) and
# the fingerprinted copies in static/dist are rebuilt whenever one of their sources changes.
ASSET_SOURCES := $(wildcard static/css/*.css static/js/*.js static/scss/*.scss static/*.svg) \
	$(wildcard complaints/tools/assets.py complaints/tools/bundles.py complaints/tools/fonts.py) \
	complaints/tools/digest.py $(wildcard translations/*/LC_MESSAGES/messages.po)

$(STAMPS)/assets: $(STAMPS)/npm $(STAMPS)/venv $(ASSET_SOURCES)
	$(BIN)/python -m complaints.tools.assets
	@touch $@

assets: $(STAMPS)/assets ## Install front-end packages; build the public stylesheets, fonts and fingerprinted static files

compile-translations: $(STAMPS)/venv ## Build the .mo catalogs (never committed)
	$(BIN)/python -m complaints.tools.translations compile

translations: $(STAMPS)/venv ## Extract messages.pot, update every catalog, compile
	$(BIN)/python -m complaints.tools.translations extract
	$(BIN)/python -m complaints.tools.translations update
	$(MAKE) compile-translations

db: $(STAMPS)/venv ## Create or upgrade the database schema
	COMPLAINTS_ENV=$${COMPLAINTS_ENV:-development} $(FLASK) db upgrade

run: $(STAMPS)/venv $(STAMPS)/assets compile-translations db ## Set up everything and serve the app on http://$(HOST):$(PORT)
	@echo
	@echo "  Public site:  http://$(HOST):$(PORT)/"
	@echo "  JSON API:     http://$(HOST):$(PORT)/api/v1/openapi.json"
	@echo "  Mail waits in the outbox until MAIL_SERVER is set; deliver it with: $(FLASK) send-mail"
	@echo
	@echo "  Staff sign in at http://$(HOST):$(PORT)/staff/login. Create the first account (it asks"
	@echo "  for a password; nothing is preset):"
	@echo "    COMPLAINTS_ENV=development $(FLASK) create-staff you@example.org --name 'Your Name' --role supervisor --restricted"
	@echo "  and an administrator for accounts with --role admin. At first sign-in each account sets"
	@echo "  up two-factor sign-in with any authenticator app (the key is also shown as text)."
	@echo "  Sample data: COMPLAINTS_ENV=development $(FLASK) demo-data --count 5000"
	@echo
	COMPLAINTS_ENV=$${COMPLAINTS_ENV:-development} $(FLASK) run --host $(HOST) --port $(PORT)

chromium: ## Install Debian's Chromium for the browser tests (when root and missing)
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Chromium is missing and this is not root: browser tests will be skipped."; fi; \
	fi

clamav: ## Install ClamAV's daemon for the virus-scanning tests (when root and missing)
	@if [ ! -x /usr/sbin/clamd ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clamav-daemon >/dev/null; \
		else echo "clamd is missing and this is not root: virus-scanning tests will be skipped."; fi; \
	fi

lint: $(STAMPS)/venv ## ruff, mypy and the translation checks
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m complaints.tools.translations check

test: $(STAMPS)/venv $(STAMPS)/assets chromium clamav compile-translations lint ## Install what the tests need and run them all
	$(BIN)/python -m pytest $(PYTEST_ARGS)

LOCALES ?= en,ar,so,zh-hant
WIDTHS ?= 390,1280
screenshots: $(STAMPS)/venv $(STAMPS)/assets chromium compile-translations ## Full-page screenshots of the public pages (LOCALES, WIDTHS) into screenshots/
	$(BIN)/python -m complaints.tools.screenshots --locales $(LOCALES) --widths $(WIDTHS) --out screenshots

bench: $(STAMPS)/venv $(STAMPS)/assets chromium compile-translations ## Run the benchmarks in bench/ and print their figures
	$(BIN)/python -m bench

clean: ## Remove the virtual environment, installed assets and build stamps
	rm -rf $(VENV) $(STAMPS) node_modules $(VENDOR) static/dist
