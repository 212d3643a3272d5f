#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on 127.0.0.1 for tests and benchmarks.
#
#   scripts/pg-cluster.sh start DIR   initdb (as the postgres user, fsync on) and start on a free
#                                     port; prints the admin URL (database "postgres") on stdout
#   scripts/pg-cluster.sh stop DIR    stop it (fast shutdown)
#   scripts/pg-cluster.sh kill DIR    stop it without a checkpoint (immediate), like a crash
#   scripts/pg-cluster.sh restart DIR start it again on the same port after stop/kill
#   scripts/pg-cluster.sh remove DIR  stop if running and delete DIR
#
# Must run as root (initdb and the server run as "postgres" via runuser; every parent of DIR
# must be traversable by that user). Extra server settings
# can be passed in PG_OPTIONS (e.g. "-c shared_buffers=256MB").
set -euo pipefail

PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
PASSWORD="vigil-test-password"
command="${1:?usage: pg-cluster.sh start|stop|kill|restart|remove DIR}"
dir="${2:?usage: pg-cluster.sh start|stop|kill|restart|remove DIR}"
as_postgres() { runuser -u postgres -- "$@"; }

start_server() {
    local port
    port="$(cat "$dir/port")"
    as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=on -c max_connections=1000 ${PG_OPTIONS:-}" \
        start >/dev/null
}

case "$command" in
start)
    mkdir -p "$dir"
    chown postgres: "$dir"
    chmod 700 "$dir"
    printf '%s\n' "$PASSWORD" >"$dir/pwfile"
    chown postgres: "$dir/pwfile"
    as_postgres "$PGBIN/initdb" -D "$dir/data" -U vigil --pwfile="$dir/pwfile" --auth=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' >"$dir/port"
    start_server
    echo "postgres://vigil:$PASSWORD@127.0.0.1:$(cat "$dir/port")/postgres?sslmode=disable"
    ;;
stop)
    as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
kill)
    as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    ;;
restart)
    start_server
    ;;
remove)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "unknown command $command" >&2
    exit 2
    ;;
esac
