# Stride: `make run` serves the site with a worker and the scheduler; `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=

.PHONY: install run test lint format bench migrate seed browser doc-images clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# Migrations create the tables; the exercise library (careplans/library.yaml) is loaded after.
migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_library

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	@echo ""
	@echo "  Stride is starting at http://127.0.0.1:$${STRIDE_PORT:-8000}/  (admin: /admin/)"
	@echo "  Database: $${DATABASE_URL:-SQLite under var/}   Broker: $${REDIS_URL:-embedded (var/broker)}"
	@echo ""
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$${STRIDE_PORT:-8000}} $(BIN)/honcho start -f Procfile

# Chromium for the browser tests, from Debian's packages (installed once, needs root or sudo).
browser:
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq chromium fonts-dejavu-core >/dev/null \
	    || echo "warning: could not install Chromium; browser tests will be skipped"; }

test: install browser
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m bench

# The README's pictures, then the guides' screenshots (the journeys that show those pages).
doc-images: install browser
	$(BIN)/pytest tests/e2e/test_readme_images.py -q
	mkdir -p docs/img && cp tests/e2e/screenshots/readme/*.png docs/img/
	DOCS_IMAGES=1 $(BIN)/pytest -q tests/e2e/test_journey_front_desk.py \
	  tests/e2e/test_journey_therapist.py tests/e2e/test_journey_manage_link.py

clean:
	rm -rf $(VENV) var
