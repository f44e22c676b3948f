# The two commands a newcomer needs: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test test-sqlite test-postgres lint bench lock clean

# Re-install only when the lock file or the project metadata changes: a second `make demo` is fast.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/caseaudit demo --serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	env -u DATABASE_URL $(BIN)/python manage.py makemigrations --check --dry-run

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest

# Runs only when DATABASE_URL names a PostgreSQL database (CI sets it).
test-postgres: install
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$DATABASE_URL"; $(BIN)/pytest; \
	else \
		echo "== PostgreSQL: skipped (DATABASE_URL is not set)"; \
	fi

test: lint test-sqlite test-postgres

bench: install
	$(BIN)/python -m bench

lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache
