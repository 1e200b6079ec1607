#!/usr/bin/env bash
# `make run`: find a database (or start a private one), create or upgrade it, then serve.
# - DATABASE_URL set: use it.
# - else a local server that accepts postgres@127.0.0.1:5432: use database jiokidz there.
# - else start a private cluster in .pgdata/ on 127.0.0.1:5433 (scripts/private_pg.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8000}
PRIVATE_PORT=${PRIVATE_PG_PORT:-5433}

if [ -z "${DATABASE_URL:-}" ]; then
    if $PY - <<'PY' 2>/dev/null
import psycopg
from psycopg.conninfo import make_conninfo
from app.settings import DEFAULT_DATABASE_URL
psycopg.connect(make_conninfo(DEFAULT_DATABASE_URL, dbname="postgres"), connect_timeout=3).close()
PY
    then
        echo "run: using the PostgreSQL at 127.0.0.1:5432"
    else
        echo "run: no usable PostgreSQL at 127.0.0.1:5432; starting a private one in .pgdata/"
        scripts/private_pg.sh start .pgdata "$PRIVATE_PORT"
        export DATABASE_URL="postgresql://postgres@127.0.0.1:$PRIVATE_PORT/jiokidz"
    fi
fi

$PY -m db.migrate
workers=${WEB_CONCURRENCY:-$(nproc 2>/dev/null || echo 2)}
echo "run: serving http://127.0.0.1:$PORT/api/v1/docs with $workers workers"
# uvicorn's own workers; the access log is the app's (app/middleware.py), with request ids.
exec $PY -m uvicorn app.main:app --host 0.0.0.0 --port "$PORT" --workers "$workers" \
    --proxy-headers --no-access-log
