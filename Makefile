# Introsteg – the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= introsteg-demo

.PHONY: run test audit install translations migrate demo lint format worker clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Front-end packages from the npm registry (axe-core for the accessibility checks), when the
# project lists any; nothing is fetched from a CDN at run time.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): $(wildcard package.json package-lock.json)
	if [ -f package.json ]; then npm ci --no-audit --no-fund --loglevel=error; fi
	mkdir -p node_modules && touch $(NODE_STAMP)

# Compiled translations (.mo) from the .po files in locale/; pure Python, no GNU gettext needed.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
%.mo: %.po | $(STAMP)
	$(BIN)/python -c "import polib, sys; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])" $< $@

translations: $(MO_FILES)

install: $(STAMP) $(NODE_STAMP) translations

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_safety --password "$(DEMO_PASSWORD)"

run: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install lint
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist loadfile --durations=15

# Security checks: lint, bandit (medium and high findings fail), installed dependencies agree,
# and Django's deployment checklist in production mode. (pip-audit needs a vulnerability
# database this network cannot reach; run it where it can, see README.) The deployment check
# wants a shared cache; it reads the settings only, so CACHE_URL names Redis as production must.
audit: lint
	$(BIN)/bandit -q -c pyproject.toml -r config core people content learning mentoring team --severity-level medium
	$(BIN)/pip check
	DEBUG=False SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  ALLOWED_HOSTS=introsteg.example.se CACHE_URL="$${CACHE_URL:-$${REDIS_URL:-redis://127.0.0.1:6379/1}}" \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

worker: install
	$(BIN)/celery -A config worker --beat --loglevel INFO

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache node_modules
