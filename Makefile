# The two commands a newcomer needs: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test test-sqlite test-postgres smoke lint bench lock clean

# Two test processes (pytest-xdist), each with its own test database. Keep xdist's default
# "load" scheduling: pytest-django puts the tests that empty the database (live server,
# transaction=True) after all the others and "load" hands tests out in that order, so on each
# worker nothing runs after one of them. (--dist loadfile breaks this: a file goes as a whole.)
# PYTEST_ARGS adds to it, e.g. `make test-sqlite PYTEST_ARGS="-n 0 caseaudit/core"`.
PYTEST := $(BIN)/pytest -n 2
PYTEST_ARGS ?=

# Re-install only when the lock file or the project metadata changes: a second `make demo` is fast.
$(STAMP): requirements-dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/caseaudit demo --serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	@# Bandit warns once per line of a multi-line statement marked "nosec" (not a finding).
	@echo "bandit: the service's code (pyproject.toml [tool.bandit])"
	@out=$$($(BIN)/bandit --quiet --configfile pyproject.toml --recursive caseaudit 2>&1); \
		status=$$?; echo "$$out" | grep -v "but no failed test on file" || true; exit $$status
	env -u DATABASE_URL $(BIN)/python manage.py makemigrations --check --dry-run

# pytest exits 5 when it collects no tests, and make fails on it like any other failure.
test-sqlite: install
	@echo "== SQLite"
	env -u DATABASE_URL $(PYTEST) $(PYTEST_ARGS)

# Runs only when DATABASE_URL names a PostgreSQL database (CI sets it).
test-postgres: install
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$DATABASE_URL"; $(PYTEST) $(PYTEST_ARGS); \
	else \
		echo "== PostgreSQL: skipped (DATABASE_URL is not set)"; \
	fi

# The two databases' suites run side by side: the PostgreSQL one spends much of its time
# waiting on the server, which the SQLite one fills. Each target's output is printed whole
# when it ends (--output-sync), so the two do not interleave.
test: lint
	@$(MAKE) --no-print-directory --output-sync=target -j2 test-sqlite test-postgres

# caseaudit as production runs it: collectstatic, gunicorn, sign in, pages (.ci/production-smoke).
# Needs PostgreSQL; SMOKE_DATABASE_URL names the database it drops and recreates.
smoke: install
	.ci/production-smoke

bench: install
	$(BIN)/python -m bench

# Two locks: requirements.lock is what production installs (no test or lint tools);
# requirements-dev.lock adds them, and is what `make install` (and so test and lint) uses.
# The dev lock starts from the runtime one, so the two agree on every package they share.
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 \
		--constraint requirements.lock -o requirements-dev.lock

clean:
	rm -rf $(VENV) var .pytest_cache
