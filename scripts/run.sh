#!/usr/bin/env bash
# `make run` (after scripts/services.sh has found or started PostgreSQL and RabbitMQ and set
# the URLs): create or upgrade the database, then serve, with the worker beside.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8000}

$PY -m db.migrate
# /metrics adds up every process's metrics (the workers', and the worker process's started with
# the same environment) from the files prometheus_client keeps in this directory; the files
# of a previous run are removed.
PROMETHEUS_MULTIPROC_DIR=${PROMETHEUS_MULTIPROC_DIR:-${TMPDIR:-/tmp}/jiokidz-metrics-$PORT}
mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
find "$PROMETHEUS_MULTIPROC_DIR" -maxdepth 1 -name '*.db' -type f -delete
export PROMETHEUS_MULTIPROC_DIR
# REPLICA=1 (make run REPLICA=1): the read replica in .replica/ (make replica), started when it
# is down, serves the reads api_spec.yaml marks. A REPLICA_DATABASE_URL given is used as it is.
if [ "${REPLICA:-0}" != 0 ] && [ -z "${REPLICA_DATABASE_URL:-}" ]; then
    replica=$(scripts/replica.sh start .replica "${REPLICA_PORT:-5434}")
    echo "$replica"
    REPLICA_DATABASE_URL=$(sed -n 's/^REPLICA_DATABASE_URL=//p' <<<"$replica")
    [ -n "$REPLICA_DATABASE_URL" ] || { echo "run: DATABASE_URL is not a URL" >&2; exit 1; }
    export REPLICA_DATABASE_URL
fi
if [ -n "${REPLICA_DATABASE_URL:-}" ]; then
    echo "run: reads marked replica go to $REPLICA_DATABASE_URL"
fi
# The worker (app/worker.py: the outbox relay, the consumers, the sweeper) beside the web
# tier, stopped with it.
$PY -m app.worker &
worker=$!
trap 'kill -TERM "$worker" 2>/dev/null; wait "$worker"' EXIT
workers=${WEB_CONCURRENCY:-$(nproc 2>/dev/null || echo 2)}
echo "run: serving http://127.0.0.1:$PORT/api/v1/docs with $workers workers, and the worker"
# uvicorn's own workers; the access log is the app's (app/middleware.py), with request ids.
$PY -m uvicorn app.main:app --host 0.0.0.0 --port "$PORT" --workers "$workers" \
    --proxy-headers --no-access-log
