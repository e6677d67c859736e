# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# The tests run on PostgreSQL (user postgres on 127.0.0.1); override DATABASE_URL to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/technopolis_portal
LOCAL_MAIL := EMAIL_URL=filemail:///var/mail

.PHONY: run test install lint

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Serves the portal on 127.0.0.1:8000 with the embedded SQLite default and the demo data, beside a
# real Celery worker and beat on the embedded broker; e-mails are written to var/mail/.
run: install
	@mkdir -p var/mail
	DEBUG=true $(PY) manage.py migrate --noinput -v0
	DEBUG=true $(PY) manage.py load_demo --if-empty
	DEBUG=true $(PY) manage.py ensure_admin
	DEBUG=true $(LOCAL_MAIL) $(PY) manage.py send_reminders
	DEBUG=true $(LOCAL_MAIL) $(PY) manage.py send_digests
	@echo "E-mails are written to var/mail/. Celery worker and beat run beside the web server."
	DEBUG=true $(LOCAL_MAIL) sh -c '$(PY) -m celery -A technopolis_portal worker --beat --loglevel=warning \
		--concurrency=1 & worker=$$!; trap "kill $$worker" EXIT INT TERM; $(PY) manage.py runserver 127.0.0.1:8000'

test: install
	DEBUG=true DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) -m pytest

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
