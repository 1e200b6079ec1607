#!/usr/bin/env bash
# `make run` (after scripts/services.sh has found or started PostgreSQL and set the URLs):
# create or upgrade the database, then serve.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8000}

$PY -m db.migrate
workers=${WEB_CONCURRENCY:-$(nproc 2>/dev/null || echo 2)}
echo "run: serving http://127.0.0.1:$PORT/api/v1/docs with $workers workers"
# uvicorn's own workers; the access log is the app's (app/middleware.py), with request ids.
exec $PY -m uvicorn app.main:app --host 0.0.0.0 --port "$PORT" --workers "$workers" \
    --proxy-headers --no-access-log
