# Nashir: `make demo` runs the site with Arabic demo content, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ARTICLES ?= 400
DATA ?= ../shared/data
SCALE ?= 100000

.DEFAULT_GOAL := help
.PHONY: help install demo demo-data serve test test-fast lint messages fonts lock bench bench-pages explain-pages bench-views bench-live bench-search bench-search-scale bench-import bench-faults bench-login bench-servers

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || \
		{ echo "Nashir needs Python 3.11; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Create the virtualenv in .venv/ with every pinned dependency

.env:
	@printf 'SECRET_KEY=%s\nDEBUG=0\nSERVE_MEDIA=1\nALLOWED_HOSTS=127.0.0.1,localhost\nSITE_URL=http://$(HOST):$(PORT)\n' \
		"$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote .env with a new SECRET_KEY (see .env.example for every setting)."

# The site and its task worker, so that scheduled stories go live on time; run_worker
# starts the worker again if it stops, and tells /health/ it runs.
define serve_site
NASHIR_TASKS=database $(BIN)/python manage.py run_worker --no-startup-delay --verbosity 0 & \
	trap "kill $$! 2>/dev/null" EXIT INT TERM; \
	NASHIR_TASKS=database $(BIN)/python manage.py runserver $(HOST):$(PORT)
endef

demo: demo-data ## Migrate, load the Arabic demo newsroom, create demo accounts and serve on http://127.0.0.1:8000/
	@echo "Admin: http://$(HOST):$(PORT)/admin/ (log in with the demo editor above)"
	$(serve_site)

demo-data: install .env ## What `make demo` does before serving: migrate, collect static files, load the demo newsroom
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@# Tasks queued in the database, as in production: the task worker of `make serve` publishes the
	@# scheduled story on time (and brings Wagtail's admin search and reference index up to date).
	NASHIR_TASKS=database $(BIN)/python manage.py load_demo --articles $(DEMO_ARTICLES)

serve: install .env ## Serve the site (and run its task worker) without reloading demo content
	$(serve_site)

test: install ## Run the whole test suite (SQLite by default; DATABASE_URL for PostgreSQL)
	DJANGO_SETTINGS_MODULE=nashir.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=nashir.settings.test $(BIN)/python manage.py check
	@# The quick tests on two processes (pytest-xdist, each with its own test database); then the
	@# slow ones (browsers, servers, timed waits) one at a time, as their timings expect an idle machine.
	@# Both parts run, and the target fails if either did.
	$(BIN)/python -m pytest -m "not slow" -n 2 --dist load; quick=$$?; \
	$(BIN)/python -m pytest -m slow; slow=$$?; \
	[ $$quick -eq 0 ] && [ $$slow -eq 0 ]

test-fast: install ## The suite without the tests marked slow (browsers, the production stack, the HTML checker, long waits)
	$(BIN)/python -m pytest -m "not slow" -n 2 --dist load

messages: install ## Compile locale/*.po after editing them (needs GNU gettext; the .mo files are committed)
	$(BIN)/python manage.py compilemessages --ignore $(VENV) --ignore node_modules

lint: install ## ruff lint and format check, and the layers of the apps (import-linter, pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

fonts: $(BIN)/python ## Copy the site's fonts and their licences from the npm packages to nashir/static/fonts/
	npm ci --ignore-scripts --no-audit --no-fund
	$(BIN)/python scripts/copy_fonts.py

lock: $(BIN)/python ## Re-pin requirements*.txt (with hashes) from requirements*.in
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe requirements.in -o requirements.txt
	$(BIN)/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe requirements-dev.in -o requirements-dev.txt

bench: install ## The production stack under wrk at 10,000 and 100,000 articles, next to plain WordPress, on SQLite and (when it answers) PostgreSQL + Redis (needs apt: nginx wrk; installs WordPress from Debian)
	$(BIN)/python scripts/bench_production.py --wordpress --articles $(or $(ARTICLES),10000 100000) \
		$(if $(DATABASES),--databases $(DATABASES))

bench-servers: install ## One application server against two behind nginx: wrk on the home, article and search pages, page cache on and off, at 2,000 articles (ARTICLES=… for another size; needs PostgreSQL, Redis, nginx, wrk)
	$(BIN)/python scripts/bench_servers.py --articles $(or $(ARTICLES),2000)

bench-pages: install ## Query count and median server time of the article, home and section pages
	$(BIN)/python scripts/bench_pages.py

explain-pages: install ## Each public page's SQL with its time and the database's plan, on DATABASE_URL (page cache off)
	$(BIN)/python scripts/explain_pages.py

bench-views: install ## View beacons from new readers to gunicorn for 15 s (wrk), then check that none was lost (needs Redis, wrk)
	$(BIN)/python scripts/bench_views.py

bench-live: install ## 10,000 readers polling a live coverage through nginx, their beacons, an entry every 10 s (needs nginx, wrk)
	$(BIN)/python scripts/bench_live.py

BENCH_DB = $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

bench-search: install ## Search quality and latency on judged queries, with the WordPress baseline (DOCS=… QUERIES=… for another set; BENCH_DATABASE_URL=postgres://… for PostgreSQL)
ifdef DOCS
	$(BIN)/python scripts/bench_search.py $(DOCS) $(QUERIES) $(BENCH_DB)
else
	$(BIN)/python scripts/bench_search.py $(DATA)/search-docs.jsonl $(DATA)/search-dev.jsonl \
		--extra-docs $(DATA)/arabic-news.jsonl $(BENCH_DB)
	$(BIN)/python scripts/bench_search.py $(DATA)/arabic-news.jsonl $(DATA)/news-knownitem-dev.jsonl $(BENCH_DB)
endif

bench-search-scale: install ## Indexing time and query latency at 100,000 articles (BENCH_DATABASE_URL=postgres://… for PostgreSQL)
	$(BIN)/python scripts/bench_search.py $(DATA)/arabic-news.jsonl $(DATA)/search-dev.jsonl --scale $(SCALE) \
		--no-baseline $(BENCH_DB)

bench-import: install ## Import a generated WordPress export of 10,000 posts × 5 comments (POSTS=50000 for more): posts/s and peak memory
	$(BIN)/python scripts/bench_import.py --posts $(or $(POSTS),10000)

bench-faults: install ## Readers' comments during a 10,000-post import on SQLite, then pages while Redis stops (needs redis-server)
	$(BIN)/python scripts/bench_faults.py import --posts $(or $(POSTS),10000)
	$(BIN)/python scripts/bench_faults.py redis

bench-login: install ## 1,000 password guesses against /admin/login/ from one and from 50 addresses: how many are tried before the lockout
	$(BIN)/python scripts/bench_login.py --guesses 1000
