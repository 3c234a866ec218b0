# Two commands on a fresh machine: `make run` and `make test` (README). Everything they need is
# installed from here: the virtualenv, Python packages, and Debian packages when we are root.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
DEBIAN_RUN := gettext fonts-dejavu-core fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
DEBIAN_TEST := chromium poppler-utils libreoffice-writer-nogui nodejs
# The closed-loop load generator of `make bench`; nginx in front of the scale-out run's nodes.
DEBIAN_BENCH := wrk
DEBIAN_SCALE := nginx
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test test-fast lint format bench scale-test install system-deps browser messages migrate demo clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	@rm -f $(VENV)/.installed-* && touch $@

install: system-deps $(STAMP)

# Debian packages: gettext (msgfmt) for translations, fonts with Kazakh letters and Pango for
# PDFs. Installed when missing and we are root; otherwise we say what to install.
system-deps:
	@bash scripts/debian-deps.sh $(DEBIAN_RUN)

# Chromium for Playwright, and axe-core (npm, pinned in tests/browser/package-lock.json) for the
# accessibility checks of tests/browser/page_checks.py.
browser:
	@bash scripts/debian-deps.sh $(DEBIAN_TEST)
	@command -v npm >/dev/null || bash scripts/debian-deps.sh npm  # Debian's nodejs comes without it
	@test -f tests/browser/node_modules/axe-core/package.json || npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error

messages: $(STAMP)
	$(PY) manage.py compilemessages -v0 --ignore=.venv

migrate: $(STAMP)
	$(PY) manage.py migrate -v0

demo: migrate
	$(PY) manage.py demo

# Links in the demo's mail point at this server unless SITE_URL says otherwise.
run demo: export SITE_URL ?= http://$(HOST):$(PORT)
# The production server (gunicorn, gunicorn.conf.py) with reloading, and the background worker
# (imports, mail) beside it; both stop together. Django's runserver is not used: its listen
# backlog reset connections in a race of 120 draws at once, gunicorn's holds them.
run: install messages migrate
	$(PY) manage.py demo
	@echo "Serving on http://$(HOST):$(PORT)/ : sign in as student01, secretary, chair or registrar (password: demo)"
	@trap 'kill 0' EXIT INT TERM; $(PY) manage.py db_worker --no-reload -v0 & \
	  BIND=$(HOST):$(PORT) WEB_RELOAD=1 $(VENV)/bin/gunicorn attestation.wsgi -c gunicorn.conf.py

# Production-like: gunicorn with 2 workers, static files through WhiteNoise.
serve: install messages migrate
	DEBUG=$${DEBUG:-0} $(PY) manage.py collectstatic --noinput -v0
	DEBUG=$${DEBUG:-0} $(VENV)/bin/gunicorn attestation.wsgi -c gunicorn.conf.py

test: install browser messages
	TESTING=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run -v0

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install messages
	@bash scripts/debian-deps.sh $(DEBIAN_BENCH)
	$(PY) bench/run.py

# nginx, two gunicorn nodes, PostgreSQL, Redis, S3 (moto's server), a db_worker: an exam driven
# through them, a node killed and the database connections cut (scripts/scale_test.py).
# Needs PostgreSQL (SCALE_PG_URL) and Redis (SCALE_REDIS_URL) running.
scale-test: install messages
	@bash scripts/debian-deps.sh $(DEBIAN_SCALE)
	$(PY) scripts/scale_test.py

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
