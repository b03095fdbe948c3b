# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.13 || command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test serve bench bench-compare lint format install migrate content demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

var/static:
	mkdir -p $@

migrate: install var/static
	$(BIN)/python manage.py migrate --noinput

content: migrate
	$(BIN)/python manage.py load_clinic_content

demo: content
	$(BIN)/python manage.py load_demo_schedule

# The web server and the task worker (emails, reminders) together: Ctrl-C stops both.
run: demo
	@$(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install var/static
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Production-like: DEBUG off, hashed and compressed static files, gunicorn.
serve: demo
	DEBUG=false SECRET_KEY=$${SECRET_KEY:-local-serve-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-false} \
	SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-false} CSRF_COOKIE_SECURE=$${CSRF_COOKIE_SECURE:-false} \
	CACHE_URL=$${CACHE_URL:-redis://127.0.0.1:6379/1} ALLOW_PLACEHOLDER_CLINIC=$${ALLOW_PLACEHOLDER_CLINIC:-true} \
	sh -c '$(BIN)/python manage.py collectstatic --noinput -v0 && \
	  { $(BIN)/python manage.py worker & worker=$$!; trap "kill $$worker 2>/dev/null; wait $$worker 2>/dev/null" EXIT; \
	    $(BIN)/gunicorn -c gunicorn.conf.py soletherapy.wsgi; }'

bench: demo
	$(BIN)/python -m bench.run

# The last two `make bench` runs' throughput side by side.
bench-compare: install
	$(BIN)/python -m bench.compare

clean:
	rm -rf $(VENV) var/static var/*.sqlite3*
