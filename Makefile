# JioKidz backend. `make run` serves the API; `make test` runs every check CI runs.
# `make run` and `make test` find or start PostgreSQL themselves (scripts/services.sh); the other
# targets use DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/jiokidz.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
REPLICA_PORT ?= 5434

.PHONY: run worker replica db codegen lint test test-sql test-py bench venv lock

venv: $(VENV)/.installed

# Reinstalled when pyproject.toml or the lock changes: every pinned package (hash-checked) from
# requirements.lock, then the project itself without dependencies. Debian's python3 makes
# virtual environments only with python3-venv.
$(VENV)/.installed: pyproject.toml requirements.lock
	@command -v python3 >/dev/null || { echo "python3 (3.11+) is needed"; exit 1; }
	@python3 -c "import ensurepip" 2>/dev/null || scripts/apt_install.sh "make venv" python3-venv
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# Re-pin requirements.lock from pyproject.toml (runtime and dev, Python 3.11 on Linux x86_64,
# with hashes) after its dependencies change; pins still allowed stay. LOCK_ARGS=--upgrade moves
# every pin to the newest allowed. uv, used for this alone, goes into the venv unpinned.
lock:
	test -x $(PY) || python3 -m venv $(VENV)
	test -x $(VENV)/bin/uv || $(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu --generate-hashes \
		--custom-compile-command 'make lock' $(LOCK_ARGS) -o requirements.lock

# A database and RabbitMQ found or started (scripts/services.sh), the database created or
# upgraded, then served on PORT with the worker (relay, consumers, sweeper) beside it.
# REPLICA=1: with the read replica of `make replica` (started if down) as REPLICA_DATABASE_URL.
run: venv
	PORT=$(PORT) REPLICA=$(REPLICA) REPLICA_PORT=$(REPLICA_PORT) \
		scripts/services.sh run scripts/run.sh

# The worker alone (app/worker.py): the outbox relay, the consumers and the sweeper, for a
# machine that runs no web tier; `make run` starts one itself.
worker: venv
	scripts/services.sh run $(PY) -m app.worker

# A streaming read replica of the development primary in .replica/ on 127.0.0.1:REPLICA_PORT
# (scripts/replica.sh: base backup on first use, a no-op when it runs); prints its
# REPLICA_DATABASE_URL. scripts/replica.sh stop|status|remove .replica for the rest.
replica: venv
	scripts/services.sh run scripts/replica.sh start .replica $(REPLICA_PORT)

# Create or upgrade the database at DATABASE_URL; demo data only into an empty catalog.
db: venv
	$(PY) -m db.migrate

# Regenerate generated/ from api_spec.yaml, checked against the procedures in the database.
codegen: db
	$(PY) -m codegen

lint: venv
	$(VENV)/bin/sqlfluff lint db/
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# What the tests need installed and running (scripts/services.sh), then lint, plpgsql_check,
# pgTAP, codegen drift and pytest over real HTTP; every database used is created for the run
# and dropped after it.
test: venv
	scripts/services.sh test $(MAKE) --no-print-directory lint test-sql test-py

test-sql: venv
	scripts/test_sql.sh

test-py: venv
	$(PY) -m pytest

# The store at 1 lakh users: each hot endpoint's pgbench ceiling, a hand-written ASGI floor and
# the API (both under `uvicorn --workers`) in one run, judged on API/floor (0.85 database-bound,
# 0.70 cheapest reads) and the catalog's p99 (< 50 ms at 32 connections); then the sections
# (catalog at scale, events, catalog writes, the write path against its database floor, the
# flash sale: docs/performance.md); writes bench/results.md. BENCH_ARGS="--seconds 30
# --rebuild", "--only product_detail write_path" and so on.
bench: venv
	$(PY) bench/run.py $(BENCH_ARGS)
