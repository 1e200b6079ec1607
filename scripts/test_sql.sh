#!/usr/bin/env bash
# The SQL half of `make test`: a fresh database built by db/migrate.py (demo data included),
# plpgsql_check on every PL/pgSQL function, then pgTAP through pg_prove. The database is
# dropped at the end. (The codegen drift check runs in pytest: tests/test_codegen.py.)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

name="jiokidz_sqltest_$$"
url=$($PY scripts/test_db_url.py "$name")
owner_url=$($PY scripts/test_db_url.py "$name" --owner)
admin_url=$($PY scripts/test_db_url.py postgres)
cleanup() { psql -q "$admin_url" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "== make db into a fresh database ($name)"
$PY -m db.migrate --database-url "$owner_url" --admin-url "$admin_url"

echo "== plpgsql_check on every function in schemas api and internal"
psql -q -v ON_ERROR_STOP=1 "$url" -c "CREATE EXTENSION IF NOT EXISTS plpgsql_check"
errors=$(psql -X -v ON_ERROR_STOP=1 -A -t "$url" -f scripts/plpgsql_check.sql)
if [ -n "$errors" ]; then
    echo "$errors"
    echo "plpgsql_check found errors" >&2
    exit 1
fi
echo "no errors"

echo "== pgTAP (pg_prove)"
psql -q -v ON_ERROR_STOP=1 "$url" -c "CREATE EXTENSION IF NOT EXISTS pgtap"
for support in db/tests/support/*.sql; do
    psql -q -X -v ON_ERROR_STOP=1 "$url" -f "$support"
done
# Test files are db/tests/<procedure or area>/<behaviour>.test.sql; db/tests/support/ is not a test.
eval "$($PY scripts/test_db_url.py "$name" --pgenv)"
find db/tests -name '*.test.sql' | sort | xargs pg_prove --ext .sql
