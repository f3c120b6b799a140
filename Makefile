# Lootwatch: two commands on a fresh machine.
#   make run   - set up, migrate, load the demo data and serve on http://127.0.0.1:8000
#   make test  - install what the tests need and run the whole suite
# Both use SQLite in the working tree unless DATABASE_URL is set.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers: the machines here have two cores.
PYTEST_ARGS ?= -n 2

.PHONY: run test lint bench bench-import fault browser-deps pdf-deps i18n-deps messages vendor clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

run: export DEBUG ?= 1
# Links in emails and release citations name the address this server answers on.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.installed pdf-deps messages
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	@echo "Serving Lootwatch on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Browser tests drive Debian's Chromium; install it when we can (root on Debian).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Browser tests need /usr/bin/chromium: sudo apt-get install chromium"; \
	  fi; \
	fi

# WeasyPrint renders the incident dossiers with Debian's Pango; install it when we can.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-deps:
	@if ! ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || [ ! -d /usr/share/fonts/truetype/dejavu ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Pango and fonts for the PDF dossiers..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; \
	  else \
	    echo "PDF dossiers need Pango: sudo apt-get install $(PDF_PACKAGES)"; \
	  fi; \
	fi

# The translations (locale/*/LC_MESSAGES/django.po) compiled for Django; compilemessages
# needs gettext's msgfmt, and the catalogue test needs xgettext and msgmerge.
i18n-deps:
	@if ! command -v msgfmt >/dev/null || ! command -v xgettext >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing gettext for the translations..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else \
	    echo "Translations need gettext: sudo apt-get install gettext"; \
	  fi; \
	fi

messages: export DEBUG ?= 1
messages: $(VENV)/.installed i18n-deps
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

test: export DEBUG ?= 1
test: $(VENV)/.installed-test browser-deps pdf-deps messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Figures, not assertions: the API and pages at the size of a war, beside the one-statement
# floor and a naive peer, plus a bounded load on gunicorn (see scripts/benchmark.py and
# bench/RESULTS.md). Needs DATABASE_URL on PostgreSQL; BENCH_INCIDENTS (100000), BENCH_ROUNDS.
bench: export DEBUG ?= 1
bench: $(VENV)/.installed-test
	$(BIN)/python scripts/benchmark.py

# The import's throughput (issue 12): N synthetic incidents generated in SOURCE_DATABASE_URL,
# exported and imported with --keep-review-state into DATABASE_URL (an empty PostgreSQL
# database); see scripts/import_benchmark.py. BENCH_INCIDENTS (10000).
bench-import: export DEBUG ?= 1
bench-import: $(VENV)/.installed-test
	$(BIN)/python scripts/import_benchmark.py --incidents $${BENCH_INCIDENTS:-10000}

# Figures, not assertions: stop a throwaway PostgreSQL for 10 s under load and count the answers
# (see scripts/fault_db_outage.py).
fault: $(VENV)/.installed
	$(BIN)/python scripts/fault_db_outage.py

# Re-copy static/vendor/ from the npm registry at the versions in static/vendor/package.json.
vendor:
	scripts/vendor-assets.sh

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
