#!/usr/bin/env bash
# What `make run` and `make test` need on this machine, then the given command with the
# database URLs set:   scripts/services.sh run|test COMMAND [ARGS...]
#
# - `test` needs Debian's pgTAP with pg_prove, plpgsql_check, psql and Redis: missing ones are
#   installed when running as root, else named with the command that installs them
#   (scripts/apt_install.sh).
# - PostgreSQL: the URLs given (DATABASE_URL, OWNER_DATABASE_URL, ADMIN_DATABASE_URL) when any
#   is set; else the server at 127.0.0.1:5432 (first started when it is this machine's Debian
#   cluster and is down), if it takes user postgres without a password; else a private cluster
#   in .pgdata/ on 127.0.0.1:5433 (scripts/private_pg.sh, which installs the server binaries
#   when they are missing).
# - Redis (`test`: the rate-limit tests count in a real one): started on 127.0.0.1:6379 when
#   nothing answers there.
# - RabbitMQ (the worker's broker, for `run` and `test`), unless BROKER_URL is set: Debian's
#   rabbitmq-server, installed when missing and started when nothing answers on 127.0.0.1:5672.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?usage: services.sh run|test COMMAND [ARGS...]}
shift
PRIVATE_PORT=${PRIVATE_PG_PORT:-5433}

if [ "$mode" = test ]; then
    scripts/apt_install.sh "make test" postgresql-15-pgtap pgtap postgresql-15-plpgsql-check \
        postgresql-client-15 redis-server
fi

accepts() {  # whether PostgreSQL at the URL $1 takes a connection
    .venv/bin/python -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3)" \
        "$1" 2>/dev/null
}

# The four logins (docs/operations.md "Settings") on one server: the admin creates the roles
# and the database, the owner migrates, the web tier (jiokidz_api) serves, the worker
# (jiokidz_worker) relays events, consumes them and sweeps.
use_server() {  # host:port
    export ADMIN_DATABASE_URL="postgresql://postgres@$1/postgres"
    export OWNER_DATABASE_URL="postgresql://jiokidz_owner@$1/jiokidz"
    export DATABASE_URL="postgresql://jiokidz_api@$1/jiokidz"
    export WORKER_DATABASE_URL="postgresql://jiokidz_worker@$1/jiokidz"
}

if [ -z "${DATABASE_URL:-}${ADMIN_DATABASE_URL:-}${OWNER_DATABASE_URL:-}" ]; then
    server="postgresql://postgres@127.0.0.1:5432/postgres"
    if ! accepts "$server" && command -v pg_lsclusters >/dev/null \
        && pg_lsclusters -h 2>/dev/null | grep -Eq "^15 +main +5432 +down"; then
        echo "services: starting the PostgreSQL 15 cluster"
        pg_ctlcluster --skip-systemctl-redirect 15 main start || true
        for _ in $(seq 30); do accepts "$server" && break; sleep 1; done
    fi
    if accepts "$server"; then
        use_server 127.0.0.1:5432
    else
        echo "services: no PostgreSQL at 127.0.0.1:5432 takes user postgres; using .pgdata/"
        scripts/private_pg.sh start .pgdata "$PRIVATE_PORT"
        use_server "127.0.0.1:$PRIVATE_PORT"
    fi
fi

if [ "$mode" = test ] && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "services: starting Redis on 127.0.0.1:6379"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
        >/dev/null
    for _ in $(seq 50); do
        redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break
        sleep 0.2
    done
fi

answers() {  # whether something takes TCP connections on 127.0.0.1:$1
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

if [ -z "${BROKER_URL:-}" ] && ! answers 5672; then
    scripts/apt_install.sh "make $mode" rabbitmq-server
    echo "services: starting RabbitMQ on 127.0.0.1:5672"
    service rabbitmq-server start >/dev/null 2>&1 || rabbitmq-server -detached
    for _ in $(seq 120); do
        answers 5672 && break
        sleep 0.5
    done
    answers 5672 || { echo "services: RabbitMQ did not start" >&2; exit 1; }
fi

exec "$@"
