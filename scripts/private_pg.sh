#!/usr/bin/env bash
# A private PostgreSQL cluster in a folder of ours, for machines without a usable server.
#   scripts/private_pg.sh start DIR PORT   initdb on first use, then start (no-op if running)
#   scripts/private_pg.sh stop DIR [MODE]  pg_ctl stop -m MODE: fast (default), smart, immediate
# It uses the machine's PostgreSQL server binaries; as root it installs Debian's postgresql-15
# when they are missing (and runs the server as the postgres user, since PostgreSQL refuses
# root); otherwise it says what to install. Trust auth, listening on 127.0.0.1 only.
set -euo pipefail
action=${1:?usage: private_pg.sh start DIR PORT | stop DIR [MODE]}
dir=${2:?data directory}
port=${3:-5433}

find_bindir() {
    local candidate
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$candidate/initdb" ] && { echo "$candidate"; return; }
    done
    candidate=$(command -v initdb 2>/dev/null || true)
    [ -n "$candidate" ] && dirname "$candidate"
    return 0
}

bindir=$(find_bindir)
if [ -z "$bindir" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "private_pg: installing PostgreSQL server binaries (Debian postgresql-15)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
        bindir=$(find_bindir)
    fi
    if [ -z "$bindir" ]; then
        echo "private_pg: no PostgreSQL server binaries (initdb) found." >&2
        echo "  Install them (Debian/Ubuntu: sudo apt-get install postgresql-15;" >&2
        echo "  macOS: brew install postgresql@15) or set DATABASE_URL to a server you have." >&2
        exit 1
    fi
fi

# PostgreSQL will not run as root: run it as the postgres user, which owns the folder.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
case "$action" in
start)
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /bin/false postgres
        chown postgres "$dir"
        chmod 700 "$dir"
        if ! runuser -u postgres -- test -w "$dir"; then
            echo "private_pg: the postgres user cannot reach $dir (a parent folder is private);" >&2
            echo "  move the checkout or set DATABASE_URL" >&2
            exit 1
        fi
    fi
    if [ ! -f "$dir/PG_VERSION" ]; then
        echo "private_pg: creating a cluster in $dir"
        as_owner "$bindir/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 >/dev/null
    fi
    if as_owner "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        echo "private_pg: already running ($dir)"
    else
        as_owner "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
        echo "private_pg: running on 127.0.0.1:$port ($dir, log in $dir/server.log)"
    fi
    ;;
stop)
    mode=${3:-fast}
    case "$mode" in fast | smart | immediate) ;; *) echo "private_pg: no mode $mode" >&2; exit 2 ;; esac
    as_owner "$bindir/pg_ctl" -D "$dir" -m "$mode" -w stop >/dev/null 2>&1 || true
    echo "private_pg: stopped ($dir, $mode)"
    ;;
*)
    echo "usage: private_pg.sh start DIR PORT | stop DIR [MODE]" >&2
    exit 2
    ;;
esac
