# Tartip: `make run` serves the platform with demo data, `make test` runs every check.
# Each set-up step is a file target, so a second run redoes only what changed.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
VENDOR := tartip/static/vendor
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
VAR_DIR := $(or $(TARTIP_VAR_DIR),var)
# The secrets of this machine's run, generated once and read by every process (tartip/local_secrets.py).
SECRETS := $(VAR_DIR)/secrets.env

# `make run`: the production settings (DEBUG off) over plain HTTP on this machine only. Secure cookies
# and the redirect to HTTPS are turned off by name, because there is no TLS here; a server keeps them.
RUN_ENV := DEBUG=0 SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost}

# The test environment: production settings (DEBUG off) with throwaway keys.
TEST_ENV := DEBUG=0 TARTIP_TESTING=1 SECURE_SSL_REDIRECT=0 \
	SECRET_KEY=test-secret-key-not-for-production-0123456789 \
	FIELD_ENCRYPTION_KEY=dGVzdC1maWVsZC1rZXktbm90LWZvci1wcm9kdWN0ISE= \
	FIELD_HASH_KEY=test-hash-key-not-for-production-0123456789 \
	AUDIT_KEY=test-audit-key-not-for-production-0123456789 \
	ALLOWED_HOSTS=testserver,localhost,127.0.0.1

# `make test-sqlite PYTEST_ARGS=registry` runs some of the tests (after `make install`).
.PHONY: install setup run dev test test-sqlite test-postgres lint bench system-packages browser messages clean

# What every command needs installed: the Python packages, the front-end libraries, the compiled
# catalogues, the local secrets and the system's packages. `make test` needs no more: its tests
# make their own databases (and the production run's test its own var/ folder).
install: $(VENV)/.installed $(VENDOR)/.installed $(MO_FILES) $(SECRETS) system-packages

# Set-up runs with `make run`'s settings: collectstatic writes the manifest the production static
# storage reads, and the demo (refused with DEBUG off unless --force) is made on purpose.
setup: install
	@$(RUN_ENV) $(PY) manage.py migrate --noinput -v0
	@$(RUN_ENV) $(PY) manage.py createcachetable
	@$(RUN_ENV) $(PY) manage.py collectstatic --noinput -v0
	@$(RUN_ENV) $(PY) manage.py load_reference -v0
	@$(RUN_ENV) $(PY) manage.py demo --if-empty --force

# The test and lint tools are pinned apart (requirements-dev.txt): a server installs requirements.txt only.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	touch $@

$(SECRETS): | $(VENV)/.installed
	$(PY) -m tartip.local_secrets $@

# Front-end libraries come from npm (pinned by package-lock.json) and are served by Tartip.
# Source maps are copied too: the production static storage checks every file a script names.
$(VENDOR)/.installed: package-lock.json tartip/frontend/vega-interpreter.js Makefile
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/htmx $(VENDOR)/leaflet $(VENDOR)/vega $(VENDOR)/exifr
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/exifr/dist/lite.umd.js $(VENDOR)/exifr/exifr.lite.umd.js
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map \
	   node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
	   node_modules/vega-lite/build/vega-lite.min.js.map node_modules/vega-embed/build/vega-embed.min.js \
	   node_modules/vega-embed/build/vega-embed.min.js.map $(VENDOR)/vega/
	node_modules/.bin/esbuild tartip/frontend/vega-interpreter.js --bundle --minify --format=iife \
	   --log-level=warning --outfile=$(VENDOR)/vega/vega-interpreter.js
	touch $@

# gettext compiles the translations; Pango, HarfBuzz and the DejaVu fonts (Kazakh letters) let
# WeasyPrint write PDF letters. Debian's packages are installed when missing.
WEASYPRINT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core
system-packages:
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; }
	@dpkg -s $(WEASYPRINT_PACKAGES) >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(WEASYPRINT_PACKAGES); }
	@# pdftotext: the tests read the text of the PDFs Tartip writes (the board's resolution and pack).
	@command -v pdftotext >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; }

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	msgfmt --check -o $@ $<

# Headless Chromium for the browser tests (Playwright's own download cannot work here).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; }

# The web server, the worker and the scheduler (Procfile) under honcho: when one of them stops,
# honcho stops the others and names it. Ctrl-C stops all three.
run: setup
	@echo
	@echo "  Tartip: http://127.0.0.1:$(PORT)/   (production settings on this machine; Ctrl-C stops it)"
	@$(RUN_ENV) $(PY) manage.py demo --list
	@echo
	@$(RUN_ENV) $(VENV)/bin/honcho start -f Procfile -p $(PORT)

# The developer's mode: DEBUG on (Django's error pages, static files read from the sources).
dev: setup
	@echo
	@echo "  Tartip (DEBUG on): http://127.0.0.1:$(PORT)/"
	@DEBUG=1 $(VENV)/bin/honcho start -f Procfile -p $(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# The import contract in pyproject.toml: the layers of each app, lib and accounts below every app.
	$(VENV)/bin/lint-imports --no-cache

test: install browser lint
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	 else echo "DATABASE_URL is not set: the PostgreSQL run is skipped."; fi

test-sqlite:
	@echo "== tests on SQLite"
	env -u DATABASE_URL $(TEST_ENV) $(PY) -m pytest -q -n 2 $(PYTEST_ARGS)

# The browser tests run once, on SQLite: what they check is the pages in Chromium, the same on
# either database; so does the production run's test, which serves a SQLite var/ folder of its own
# whatever DATABASE_URL says. Every other test runs on both (keeps `make test` within 15 minutes).
test-postgres:
	@echo "== tests on PostgreSQL ($$DATABASE_URL), the browser tests and the production run apart"
	$(TEST_ENV) $(PY) -m pytest -q -n 2 --ignore=tests_browser --ignore=tartip/tests/test_production_run.py $(PYTEST_ARGS)

bench: setup
	@for script in bench/[!_]*.py; do [ -e "$$script" ] || continue; echo "== $$script"; $(PY) $$script || exit 1; done

# Update the kk and ru catalogues after changing visible strings (English is the source).
messages: $(VENV)/.installed system-packages
	DEBUG=1 $(PY) manage.py makemessages -l kk -l ru --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
