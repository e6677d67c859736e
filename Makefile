# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# The tests run on PostgreSQL (user postgres on 127.0.0.1); override DATABASE_URL to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/technopolis_portal
LOCAL_MAIL := EMAIL_URL=filemail:///var/mail

.PHONY: run test install lint bench bench-extract messages

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The page checkers the browser tests run (axe-core, html-validate), from package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

# Serves the portal on 127.0.0.1:8000 with the embedded SQLite default and the demo data, beside a
# real Celery worker and beat on the embedded broker; e-mails are written to var/mail/.
run: $(VENV)/.installed
	@mkdir -p var/mail
	DEBUG=true $(PY) manage.py migrate --noinput -v0
	DEBUG=true $(PY) manage.py load_demo --if-empty
	DEBUG=true $(PY) manage.py ensure_admin
	DEBUG=true $(LOCAL_MAIL) $(PY) manage.py send_reminders
	DEBUG=true $(LOCAL_MAIL) $(PY) manage.py send_digests
	@echo "E-mails are written to var/mail/. Celery worker and beat run beside the web server."
	DEBUG=true $(LOCAL_MAIL) sh -c '$(PY) -m celery -A technopolis_portal worker --beat --loglevel=warning \
		--concurrency=1 & worker=$$!; trap "kill $$worker" EXIT INT TERM; $(PY) manage.py runserver 127.0.0.1:8000'

# Locally the test database is kept between runs (--reuse-db); CI (CI=true) always builds it afresh.
PYTEST_DB := $(if $(CI),--create-db,--reuse-db)
test: install
	DEBUG=true DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) -m pytest -n auto $(PYTEST_DB) $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# The benchmark (docs/performance.md): fills a PostgreSQL database of its own at two sizes, loads
# the pages under gunicorn with wrk and times the e-mail runs; BENCH_ARGS="--sizes small" for a quick run.
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

# The extraction's benchmark: precision and recall per field on extraction/corpus/ (tuning, held-out),
# time per release and peak memory; BENCH_ARGS="--verbose --markdown FILE" for mismatches and a file.
bench-extract: install
	$(PY) bench/extract.py $(BENCH_ARGS)

# The Russian catalogue: collects every marked string into locale/ru/LC_MESSAGES/django.po (new ones
# untranslated, which tests/test_i18n_catalogue.py refuses), then compiles the django.mo kept in git.
MESSAGE_IGNORES := --ignore=.venv --ignore=var --ignore=tests --ignore=staticfiles --ignore=test-artifacts --ignore=media
messages: install
	DEBUG=true $(PY) manage.py makemessages --locale=ru --no-obsolete --extension=html,txt,py,svg $(MESSAGE_IGNORES)
	msgfmt --check -o locale/ru/LC_MESSAGES/django.mo locale/ru/LC_MESSAGES/django.po
