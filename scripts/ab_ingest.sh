#!/usr/bin/env bash
# Compares single-event and batch ingest of two `vigil` binaries in one run, on this machine,
# over 127.0.0.1 only: each binary on a fresh SQLite file, wrk for DURATION seconds per load,
# rounds alternating A and B so drift in the machine affects both. Prints events/s per run.
#
#   scripts/ab_ingest.sh OLD_BIN NEW_BIN        # e.g. a release build of main and of a branch
#
# Environment: DURATION (default 10), ROUNDS (default 2), CONNECTIONS (default 64).
set -euo pipefail
cd "$(dirname "$0")/.."
A="$1"
B="$2"
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-64}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
work=$(mktemp -d /tmp/vigil-ab.XXXXXX)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
BATCH=500 python3 scripts/wrk/make_batch.py >"$work/batch.json"

# run BIN LABEL -> prints "LABEL single N batch M" (events/s)
run() {
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    rm -f "$work"/db.sqlite*
    VIGIL_PORT=$port VIGIL_DATABASE_URL="sqlite://$work/db.sqlite" VIGIL_ADMIN_PASSWORD=ab-admin-password \
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
    echo "$2 single $single batch $batch"
}

for round in $(seq "$ROUNDS"); do
    run "$A" "A(round $round)"
    run "$B" "B(round $round)"
done
