#!/usr/bin/env bash
# A streaming read replica (a hot standby) of the primary, as a private cluster in a folder.
#   scripts/replica.sh start DIR PORT   first use: a base backup of the primary through a
#                                       replication slot; then start on 127.0.0.1:PORT and wait
#                                       until it streams (a no-op when it already runs)
#   scripts/replica.sh stop DIR [MODE]  pg_ctl stop -m MODE: fast (default), smart, immediate.
#                                       Keeps the folder and the slot: the primary keeps the WAL
#                                       the replica has not replayed, until start or remove
#   scripts/replica.sh status DIR       running, streaming, lag, the slot's retained WAL;
#                                       exit 0 streaming, 1 running but not streaming, 3 down
#   scripts/replica.sh remove DIR       stop, drop the slot on the primary, delete the folder
#
# The primary is ADMIN_DATABASE_URL (a superuser; default postgresql://postgres@127.0.0.1:5432/
# postgres), as scripts/services.sh sets it. The slot is REPLICA_SLOT, by default
# jiokidz_replica_<checksum of DIR's path>. With DATABASE_URL set, start also prints it pointed
# at the replica, as a line REPLICA_DATABASE_URL=... (without a password: the replica trusts
# logins from 127.0.0.1).
#
# The primary must take replication connections: wal_level replica or logical, free WAL senders
# and slots, and a pg_hba.conf line for `replication` ("all" does not match it). When that line
# is missing, the primary runs on this machine, trusts every other connection from this address,
# and its pg_hba.conf is writable here (as root), start adds the same trust for replication and
# reloads the primary, saying so; otherwise it stops and names the line a DBA must add.
# Like scripts/private_pg.sh, it runs the server as the postgres user when run as root.
set -euo pipefail
usage="usage: replica.sh start DIR PORT | stop DIR [MODE] | status DIR | remove DIR"
action=${1:?$usage}
dir=${2:?$usage}
primary=${ADMIN_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
export PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-5}

fail() {
    echo "replica: $*" >&2
    exit 1
}

# DIR as an absolute path, without creating it (remove and status must not).
if [ -d "$dir" ]; then
    dir=$(cd "$dir" && pwd)
elif [ -d "$(dirname "$dir")" ]; then
    dir="$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")"
fi
slot=${REPLICA_SLOT:-}
if [ -z "$slot" ] && [ -f "$dir/postgresql.auto.conf" ]; then
    # The slot the replica was made with (pg_basebackup -R wrote it), even if DIR moved.
    slot=$(sed -n "s/^primary_slot_name = '\([a-z0-9_]*\)'$/\1/p" "$dir/postgresql.auto.conf" \
        | tail -n 1)
fi
[ -n "$slot" ] || slot="jiokidz_replica_$(printf '%s' "$dir" | cksum | cut -d' ' -f1)"
[[ $slot =~ ^[a-z0-9_]{1,63}$ ]] || fail "slot name $slot: use 1 to 63 of a-z, 0-9 and _"

sql() {  # URL QUERY: the rows, unaligned, without headers
    "$bindir/psql" -X -A -t -q -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

reachable() {  # URL: whether a server answers there
    "$bindir/psql" -X -A -t -q -d "$1" -c "SELECT 1" >/dev/null 2>&1
}

url_user() {  # the login of the URL or key=value string $1 (libpq's default when it has none)
    local re_url='^postgres(ql)?://([^@/:]+)(:[^@/]*)?@' re_kv='(^|[[:space:]])user=([^[:space:]]+)'
    if [[ $1 =~ $re_url ]] || [[ $1 =~ $re_kv ]]; then
        echo "${BASH_REMATCH[2]}"
    else
        echo "${PGUSER:-$(id -un)}"
    fi
}

on_replica() {  # the URL $1 at 127.0.0.1:$2, without a password; nothing for a non-URL
    local re='^(postgres(ql)?://)(([^@/:]*)(:[^@/]*)?@)?[^/?]*(.*)$'
    [[ $1 =~ $re ]] || return 0
    echo "${BASH_REMATCH[1]}${BASH_REMATCH[4]}${BASH_REMATCH[4]:+@}127.0.0.1:$2${BASH_REMATCH[6]}"
}

with_param() {  # the connection string $1 with the parameter $2 (key=value) added
    case "$1" in
    postgres://* | postgresql://*) if [[ $1 == *\?* ]]; then echo "$1&$2"; else echo "$1?$2"; fi ;;
    *) echo "$1 $2" ;;
    esac
}

find_bindir() {  # MAJOR: the server binaries of that PostgreSQL version (any, when empty)
    local candidate
    # shellcheck disable=SC2086 # unquoted on purpose: the version, or * for any, is a glob
    for candidate in $(printf '%s\n' /usr/lib/postgresql/${1:-*}/bin | sort -V -r); do
        [ -x "$candidate/pg_basebackup" ] && [ -x "$candidate/postgres" ] \
            && { echo "$candidate"; return; }
    done
    candidate=$(command -v pg_basebackup 2>/dev/null || true)
    [ -n "$candidate" ] && [ -x "$(dirname "$candidate")/postgres" ] && dirname "$candidate"
    return 0
}

# The replica must run the primary's major version: the folder's, else the primary's.
major=""
if [ -f "$dir/PG_VERSION" ]; then
    major=$(cat "$dir/PG_VERSION")
elif [ "$action" = start ]; then
    bindir=$(find_bindir "")
    if [ -n "$bindir" ]; then
        num=$(sql "$primary" "SHOW server_version_num" 2>/dev/null) \
            || fail "the primary ($primary) does not answer; start it first (scripts/services.sh)"
        major=$((num / 10000))
    fi
fi
bindir=$(find_bindir "$major")
if [ -z "$bindir" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
    && [ "${major:-15}" = 15 ]; then
    echo "replica: installing PostgreSQL server binaries (Debian postgresql-15)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
    bindir=$(find_bindir "$major")
fi
if [ -z "$bindir" ]; then
    fail "no PostgreSQL ${major:+$major }server binaries (postgres, pg_basebackup) found." \
        "Install them (Debian/Ubuntu: sudo apt-get install postgresql-${major:-15};" \
        "macOS: brew install postgresql@${major:-15})."
fi

# PostgreSQL will not run as root: run it as the postgres user, which owns the folder.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

running() {
    [ -f "$dir/PG_VERSION" ] && as_owner "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1
}

running_port() {  # the port in postmaster.pid (its fourth line)
    sed -n 4p "$dir/postmaster.pid"
}

replica_url() {  # PORT: the admin's login to the replica
    echo "host=127.0.0.1 port=$1 dbname=postgres user=$(url_user "$primary")"
}

log_tail() {
    [ -f "$dir/server.log" ] && tail -n 15 "$dir/server.log" >&2
    return 0
}

slot_active() {  # t or f, or nothing when the primary has no such slot
    sql "$primary" "SELECT active FROM pg_replication_slots WHERE slot_name = '$slot'"
}

drop_slot() {  # once the replica's WAL sender has let go of it; sets dropped=yes when it was
    local active
    dropped=no
    for _ in $(seq 50); do
        active=$(slot_active) || fail "cannot reach the primary to drop slot $slot"
        case "$active" in
        "") return 0 ;;
        f)
            if sql "$primary" "SELECT pg_drop_replication_slot('$slot')" >/dev/null; then
                dropped=yes
                return 0
            fi
            ;;
        esac
        sleep 0.2
    done
    fail "slot $slot stays active on the primary: another replica streams through it"
}

same_system() {  # whether DIR is a copy of this primary (a replica of another server is not)
    local ours theirs
    ours=$(as_owner "$bindir/pg_controldata" -D "$dir" \
        | sed -n 's/^Database system identifier: *//p')
    theirs=$(sql "$primary" "SELECT system_identifier FROM pg_control_system()")
    [ "$ours" = "$theirs" ]
}

check_primary() {  # the settings that streaming replication needs, with what to do otherwise
    local wal_level senders slots
    wal_level=$(sql "$primary" "SHOW wal_level")
    [ "$wal_level" = replica ] || [ "$wal_level" = logical ] \
        || fail "the primary has wal_level = $wal_level; a replica needs replica (the default):" \
            "ALTER SYSTEM SET wal_level = replica, then restart the primary"
    # pg_basebackup -X stream holds two WAL senders during the backup, the replica one after.
    senders=$(sql "$primary" "SELECT current_setting('max_wal_senders')::int
        - (SELECT count(*) FROM pg_stat_replication)")
    [ "$senders" -ge 2 ] \
        || fail "the primary has $senders free WAL senders (max_wal_senders); a base backup needs" \
            "2: ALTER SYSTEM SET max_wal_senders = 10, then restart the primary"
    slots=$(sql "$primary" "SELECT current_setting('max_replication_slots')::int
        - (SELECT count(*) FROM pg_replication_slots)")
    [ "$slots" -ge 1 ] \
        || fail "the primary has no free replication slot (max_replication_slots); drop an unused" \
            "one (SELECT slot_name, active FROM pg_replication_slots) or raise the setting"
}

replication_refusal() {  # the primary's error for a replication connection; none: it is taken
    local conn
    conn=$(with_param "$primary" replication=true)
    { "$bindir/psql" -X -A -t -q -d "$conn" -c IDENTIFY_SYSTEM >/dev/null; } 2>&1 || return 0
}

ensure_replication_access() {
    local refusal hba addr line trusted
    refusal=$(replication_refusal)
    [ -z "$refusal" ] && return 0
    grep -q "no pg_hba.conf entry for replication connection" <<<"$refusal" \
        || fail "the primary refuses replication connections: $refusal"
    hba=$(sql "$primary" "SHOW hba_file")
    addr=$(sql "$primary" "SELECT coalesce(host(inet_server_addr()), 'local')")
    case "$addr" in
    local) line="local replication all trust" ;;
    127.0.0.1) line="host replication all 127.0.0.1/32 trust" ;;
    ::1) line="host replication all ::1/128 trust" ;;
    *) line="" ;;
    esac
    # Only the trust the primary already gives every login to every database from here.
    if [ "$addr" = local ]; then
        trusted=$(sql "$primary" "SELECT auth_method = 'trust' FROM pg_hba_file_rules
            WHERE error IS NULL AND type = 'local' AND 'all' = ANY(database)
            AND 'all' = ANY(user_name) ORDER BY line_number LIMIT 1")
    else
        trusted=$(sql "$primary" "SELECT auth_method = 'trust' FROM pg_hba_file_rules
            WHERE error IS NULL AND type = 'host' AND 'all' = ANY(database)
            AND 'all' = ANY(user_name) AND address ~ '^[0-9a-f.:]+$' AND netmask ~ '^[0-9a-f.:]+$'
            AND family(address::inet) = family(inet '$addr')
            AND (inet '$addr' & netmask::inet) = (address::inet & netmask::inet)
            ORDER BY line_number LIMIT 1")
    fi
    if [ -n "$line" ] && [ "$trusted" = t ] && [ -f "$hba" ] && [ -w "$hba" ]; then
        printf '\n%s\n%s\n%s\n' \
            "# Added by scripts/replica.sh (jiokidz): replication connections from this machine," \
            "# trusted as the lines above trust every other one (development read replicas)." \
            "$line" >>"$hba"
        sql "$primary" "SELECT pg_reload_conf()" >/dev/null
        echo "replica: the primary refused replication connections; added \"$line\" to $hba" \
            "and reloaded its configuration"
        for _ in $(seq 50); do
            [ -z "$(replication_refusal)" ] && return 0
            sleep 0.2
        done
        fail "the primary still refuses replication connections after the reload: $hba"
    fi
    fail "the primary refuses replication connections ($refusal)." \
        "A DBA adds a line for them to its pg_hba.conf (SHOW hba_file) and reloads it" \
        "(SELECT pg_reload_conf()), for a development server on this machine:" \
        "\"host replication all 127.0.0.1/32 trust\"; in production a replication role with a" \
        "password: \"hostssl replication replicator <replica's address>/32 scram-sha-256\""
}

write_config() {  # the replica's own postgresql.conf, pg_hba.conf and pg_ident.conf
    local from_primary
    # The settings a standby must have at least as large as the primary's (it refuses to start
    # otherwise), and the primary's session defaults (time zone, text search configuration,
    # locale...), so that a query answers the same on both; its log's time zone too.
    from_primary=$(sql "$primary" "SELECT name || ' = ''' || replace(current_setting(name), '''',
            '''''') || ''''
        FROM pg_settings
        WHERE name IN ('max_connections', 'max_worker_processes', 'max_wal_senders',
                       'max_prepared_transactions', 'max_locks_per_transaction', 'log_timezone')
           OR (category LIKE 'Client Connection Defaults%' AND source = 'configuration file')
        ORDER BY name")
    as_owner tee "$dir/postgresql.conf" >/dev/null <<EOF
# Written by scripts/replica.sh: a development hot standby. pg_basebackup -R put the primary's
# address (primary_conninfo) and slot (primary_slot_name) in postgresql.auto.conf; the port
# comes from the command line (replica.sh start DIR PORT).
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
hot_standby = on
# The replica tells the primary which rows its queries still see, so that VACUUM there keeps
# them and replay never cancels a read for removing them (the commonest conflict). The cost:
# dead rows wait on the primary while a query runs here, and API statements last 5 s at most.
hot_standby_feedback = on
# Replay waits this long for a query that conflicts with it (a lock from DDL, VACUUM
# truncating a table) before cancelling that query: as long as an API statement may last
# (statement_timeout 5 s, app/db.py), so on a replica that is up to date replay cancels no
# read the API would finish (the 5 s count from the WAL's arrival). Replay lags meanwhile,
# and the API reads from the primary while the lag exceeds REPLICA_MAX_LAG.
max_standby_streaming_delay = 5s
max_standby_archive_delay = 5s
# Report the replay position every second: the primary's pg_stat_replication and the slot
# follow closely.
wal_receiver_status_interval = 1s
log_recovery_conflict_waits = on
# From the primary:
$from_primary
EOF
    as_owner tee "$dir/pg_hba.conf" >/dev/null <<'EOF'
# Written by scripts/replica.sh: a development replica, for logins from this machine only.
local all all trust
host all all 127.0.0.1/32 trust
EOF
    as_owner tee "$dir/pg_ident.conf" >/dev/null </dev/null
}

base_backup() {
    local active started
    check_primary
    ensure_replication_access
    active=$(slot_active)
    if [ "$active" = t ]; then
        fail "slot $slot is in use on the primary by another replica; choose another" \
            "REPLICA_SLOT or DIR"
    elif [ "$active" = f ]; then
        # Left by a replica whose folder was deleted: it holds WAL from its own time.
        echo "replica: dropping the primary's unused slot $slot left by an earlier replica"
        drop_slot
    fi
    sql "$primary" "SELECT pg_create_physical_replication_slot('$slot', true)" >/dev/null
    echo "replica: base backup of the primary into $dir (slot $slot)"
    started=$(date +%s.%N)
    # -c fast: an immediate checkpoint on the primary instead of a spread one (minutes).
    if ! as_owner "$bindir/pg_basebackup" -d "$primary" -D "$dir" -X stream -S "$slot" -R \
        -c fast --no-password; then
        drop_slot
        fail "pg_basebackup failed (above); the slot is dropped, the folder left empty"
    fi
    write_config
    # A private primary keeps its server.log in its data folder: not ours to append to.
    as_owner rm -f "$dir/server.log"
    echo "replica: base backup done in $(awk -v s="$started" -v e="$(date +%s.%N)" \
        'BEGIN { printf "%.1f", e - s }') s"
}

wait_streaming() {  # PORT: until the replica is in recovery and its WAL receiver streams
    local state url
    url=$(replica_url "$1")
    for _ in $(seq 300); do
        state=$(sql "$url" "SELECT pg_is_in_recovery() AND EXISTS (
            SELECT FROM pg_stat_wal_receiver WHERE status = 'streaming')" 2>/dev/null || true)
        [ "$state" = t ] && return 0
        sleep 0.2
    done
    log_tail
    fail "the replica in $dir runs but does not stream from the primary (its log above). If" \
        "the primary no longer has the WAL it needs: scripts/replica.sh remove $dir, then start"
}

case "$action" in
start)
    port=${3:?$usage}
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    # Before touching its owner: a folder of someone else's stays as it is.
    [ -f "$dir/PG_VERSION" ] || [ -z "$(ls -A "$dir")" ] \
        || fail "$dir is not a replica, nor empty; choose another folder"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 \
            || useradd --system --home-dir "$dir" --shell /bin/false postgres
        chown postgres "$dir"
        if ! runuser -u postgres -- test -w "$dir"; then
            fail "the postgres user cannot reach $dir (a parent folder is private);" \
                "choose a folder under /tmp or another open place"
        fi
    fi
    chmod 700 "$dir"
    if running; then
        port=$(running_port)
        echo "replica: already running on 127.0.0.1:$port ($dir)"
        if reachable "$primary" && ! same_system; then
            fail "$dir is a replica of another server than $primary; scripts/replica.sh remove" \
                "$dir (with that server's ADMIN_DATABASE_URL), then start"
        fi
        wait_streaming "$port"
    else
        sql "$primary" "SELECT 1" >/dev/null \
            || fail "the primary ($primary) does not answer; start it first (scripts/services.sh)"
        if [ ! -f "$dir/PG_VERSION" ]; then
            base_backup
        else
            [ -f "$dir/standby.signal" ] \
                || fail "$dir holds a cluster that is not a standby (promoted?); remove it by hand"
            same_system || fail "$dir is a replica of another server than $primary;" \
                "scripts/replica.sh remove $dir (with that server's ADMIN_DATABASE_URL), then start"
            ensure_replication_access
            if [ -z "$(slot_active)" ]; then
                # Someone dropped the slot: a new one keeps WAL from now on; if the replica
                # needs older WAL, wait_streaming says to start afresh.
                echo "replica: the primary had no slot $slot; creating it"
                sql "$primary" "SELECT pg_create_physical_replication_slot('$slot', true)" \
                    >/dev/null
            fi
        fi
        started=$(date +%s.%N)
        if ! as_owner "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 120 \
            -o "-p $port" start >/dev/null; then
            log_tail
            fail "the replica in $dir did not start on 127.0.0.1:$port (its log above)"
        fi
        wait_streaming "$port"
        echo "replica: streaming on 127.0.0.1:$port ($dir, slot $slot, log in" \
            "$dir/server.log), started in $(awk -v s="$started" -v e="$(date +%s.%N)" \
                'BEGIN { printf "%.1f", e - s }') s"
    fi
    url=$(on_replica "${DATABASE_URL:-}" "$port")
    [ -n "$url" ] && echo "REPLICA_DATABASE_URL=$url"
    exit 0
    ;;
stop)
    mode=${3:-fast}
    case "$mode" in fast | smart | immediate) ;; *) fail "no mode $mode" ;; esac
    if running; then
        as_owner "$bindir/pg_ctl" -D "$dir" -m "$mode" -w stop >/dev/null
        echo "replica: stopped ($dir, $mode); the primary keeps WAL for slot $slot until it" \
            "starts again or is removed (scripts/replica.sh remove $dir)"
    else
        echo "replica: not running ($dir)"
    fi
    ;;
status)
    if running; then
        port=$(running_port)
        IFS='|' read -r recovery receiver paused lsn since < <(sql "$(replica_url "$port")" "
            SELECT pg_is_in_recovery(),
                   coalesce((SELECT status FROM pg_stat_wal_receiver), 'not connected'),
                   CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() END,
                   pg_last_wal_replay_lsn(),
                   round(extract(epoch FROM now() - pg_last_xact_replay_timestamp()))") \
            || true
        echo "replica: running on 127.0.0.1:$port ($dir); in recovery: $recovery;" \
            "WAL receiver: $receiver; replay paused: ${paused:-n/a}"
        if [ -n "$lsn" ] && reachable "$primary"; then
            echo "replica: $(sql "$primary" "SELECT pg_size_pretty(pg_wal_lsn_diff(
                pg_current_wal_lsn(), '$lsn'))") of WAL behind the primary; last replayed" \
                "transaction ${since:-?} s ago"
        fi
        [ "$recovery" = t ] && [ "$receiver" = streaming ] && code=0 || code=1
    else
        echo "replica: not running ($dir)"
        code=3
    fi
    if reachable "$primary"; then
        retained=$(sql "$primary" "SELECT CASE WHEN active THEN 'active' ELSE 'inactive' END
            || ', retaining ' || pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(),
            restart_lsn)) || ' of WAL'
            FROM pg_replication_slots WHERE slot_name = '$slot'")
        echo "replica: slot $slot on the primary: ${retained:-none}"
    else
        echo "replica: the primary ($primary) does not answer"
    fi
    exit "$code"
    ;;
remove)
    if [ -f "$dir/PG_VERSION" ]; then
        [ -f "$dir/standby.signal" ] \
            || fail "$dir holds a cluster that is not a standby (promoted?); not removing it"
        # Checked first, so that a replica stays up when its slot cannot go.
        reachable "$primary" \
            || fail "the primary ($primary) does not answer; start it and remove again, or" \
                "drop the slot on it later: SELECT pg_drop_replication_slot('$slot')"
        same_system || fail "$dir is a replica of another server than $primary;" \
            "remove it with that server's ADMIN_DATABASE_URL, so that its slot $slot goes too"
        as_owner "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
    elif [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
        fail "$dir is not a replica; not removing it"
    fi
    # Also when the folder is gone already: its slot may still hold WAL on the primary.
    if reachable "$primary"; then
        drop_slot
    else
        fail "the primary ($primary) does not answer; slot $slot may still be there"
    fi
    rm -rf "$dir"
    if [ "$dropped" = yes ]; then
        echo "replica: removed $dir and dropped slot $slot on the primary"
    else
        echo "replica: removed $dir; the primary had no slot $slot"
    fi
    ;;
*)
    fail "$usage"
    ;;
esac
