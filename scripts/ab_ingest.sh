#!/usr/bin/env bash
# Compares single-event and batch ingest of two `vigil` binaries in one run, on this machine,
# over 127.0.0.1 only: each binary on a fresh SQLite file (or, with ENGINE=postgres, a fresh
# database of one throwaway PostgreSQL 15 cluster), wrk for DURATION seconds per load, rounds
# alternating A and B so drift in the machine affects both. Prints events/s per run.
#
#   scripts/ab_ingest.sh OLD_BIN NEW_BIN                   # e.g. a release build of main and of a branch
#   ENGINE=postgres scripts/ab_ingest.sh OLD_BIN NEW_BIN   # the same on PostgreSQL (root)
#
# Environment: DURATION (default 10), ROUNDS (default 2), CONNECTIONS (default 64), ENGINE.
set -euo pipefail
cd "$(dirname "$0")/.."
A="$1"
B="$2"
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-64}
ENGINE=${ENGINE:-sqlite}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
work=$(mktemp -d /tmp/vigil-ab.XXXXXX)
chmod 755 "$work" # the cluster runs as postgres
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    if [ "$ENGINE" = postgres ]; then scripts/pg-cluster.sh remove "$work/pg" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
BATCH=500 python3 scripts/wrk/make_batch.py >"$work/batch.json"
case "$ENGINE" in
sqlite) ;;
postgres)
    # Settings as in bench.sh; fsync and synchronous_commit stay on.
    admin_url=$(PG_OPTIONS="-c shared_buffers=512MB -c max_wal_size=4GB -c checkpoint_timeout=15min" \
        scripts/pg-cluster.sh start "$work/pg")
    ;;
*) echo "ENGINE must be sqlite or postgres" >&2; exit 2 ;;
esac
runs=0

# database_url N -> a fresh, empty database for run N
database_url() {
    if [ "$ENGINE" = sqlite ]; then
        rm -f "$work"/db.sqlite*
        echo "sqlite://$work/db.sqlite"
    else
        psql "$admin_url" -Xq -c "CREATE DATABASE ab_$1"
        echo "${admin_url%/postgres*}/ab_$1?sslmode=disable"
    fi
}

# run BIN LABEL -> prints "LABEL single N batch M" (events/s)
run() {
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    local url
    runs=$((runs + 1))
    url=$(database_url "$runs")
    VIGIL_PORT=$port VIGIL_DATABASE_URL="$url" VIGIL_ADMIN_PASSWORD=ab-admin-password \
        VIGIL_ACCESS_TOKEN_TTL=86400 VIGIL_LOG_LEVEL=warning "$1" serve >>"$work/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
    local token
    token=$(curl -sf -H 'Content-Type: application/json' -d '{"username":"admin","password":"ab-admin-password"}' \
        "http://127.0.0.1:$port/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    TOKEN=$token wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s scripts/wrk/single-event.lua \
        "http://127.0.0.1:$port/api/v1/events" >"$work/single.txt"
    TOKEN=$token BATCH_FILE="$work/batch.json" wrk -t2 -c16 -d"${DURATION}s" -s scripts/wrk/batch.lua \
        "http://127.0.0.1:$port/api/v1/events/batch" >"$work/batch.txt"
    # Every answer must be a 2xx, or the rate means nothing.
    if grep -q "Non-2xx" "$work/single.txt" "$work/batch.txt"; then
        grep -H "Non-2xx" "$work/single.txt" "$work/batch.txt" >&2
        exit 1
    fi
    local single batch
    single=$(awk '/Requests\/sec/ {printf "%d", $2}' "$work/single.txt")
    batch=$(awk '/Requests\/sec/ {printf "%d", $2 * 500}' "$work/batch.txt")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
    # A finished run's database goes, so that autovacuum on it cannot run into the next run.
    [ "$ENGINE" = sqlite ] || psql "$admin_url" -Xq -c "DROP DATABASE ab_$runs WITH (FORCE)"
    echo "$2 single $single batch $batch"
}

for round in $(seq "$ROUNDS"); do
    run "$A" "A(round $round)"
    run "$B" "B(round $round)"
done
