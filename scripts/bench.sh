#!/usr/bin/env bash
# Reproduces docs/benchmarks.md: one release `vigil serve` on SQLite, loaded with wrk from the
# same 2-core machine over 127.0.0.1. Every load is bounded in time and talks only to loopback.
#
#   scripts/bench.sh                 # full run (~10 min after the release build)
#   EVENTS=200000 DURATION=5 scripts/bench.sh   # quicker, smaller
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${EVENTS:-1000000}        # events stored before the query benchmark
DURATION=${DURATION:-10}         # seconds per wrk run
CONNECTIONS=${CONNECTIONS:-64}
BIN=${VIGIL_BIN:-.build/release/vigil}
OUT=${OUT:-bench-results}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ -x "$BIN" ] || swift build -c release --product vigil
mkdir -p "$OUT"
work=$(mktemp -d /tmp/vigil-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

VIGIL_PORT=$port VIGIL_DATABASE_URL="sqlite://$work/vigil.sqlite" VIGIL_ADMIN_PASSWORD=bench-admin-password \
    VIGIL_ACCESS_TOKEN_TTL=86400 VIGIL_LOG_LEVEL=warning "$BIN" serve >"$work/server.log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 100); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.2; done

token=$(curl -sf -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"bench-admin-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
export TOKEN=$token

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
# Samples the server's RSS every 200 ms while a load runs; prints the peak in MB.
peak_rss() {
    local peak=0 now
    while kill -0 "$1" 2>/dev/null; do
        now=$(rss_kb); [ "$now" -gt "$peak" ] && peak=$now
        sleep 0.2
    done
    echo $((peak / 1024))
}

# run_wrk NAME CONNECTIONS SCRIPT URL -> writes $OUT/NAME.txt, fails on any non-2xx response
run_wrk() {
    local name=$1 conns=$2 script=$3 url=$4
    wrk -t2 -c"$conns" -d"${DURATION}s" --latency ${script:+-s "$script"} "$url" >"$OUT/$name.txt" &
    local wrk_pid=$!
    peak_rss "$wrk_pid" >"$OUT/$name.rss"
    wait "$wrk_pid"
    if grep -q "Non-2xx" "$OUT/$name.txt"; then
        echo "$name: non-2xx responses:" >&2; cat "$OUT/$name.txt" >&2; exit 1
    fi
}
rps() { awk '/Requests\/sec/ {printf "%d", $2}' "$OUT/$1.txt"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$OUT/$1.txt"; }

idle_rss=$(( $(rss_kb) / 1024 ))
echo "idle RSS: ${idle_rss} MB"

run_wrk healthz "$CONNECTIONS" "" "$base/healthz"
echo "healthz: $(rps healthz) req/s"

run_wrk single "$CONNECTIONS" scripts/wrk/single-event.lua "$base/api/v1/events"
echo "single-event ingest: $(rps single) events/s"

python3 scripts/load_events.py "$base" "$token" "$EVENTS" | tee "$OUT/load.txt"

BATCH=500 python3 scripts/wrk/make_batch.py >"$work/batch.json"
BATCH_FILE="$work/batch.json" run_wrk batch 16 scripts/wrk/batch.lua "$base/api/v1/events/batch"
batch_rps=$(rps batch)
echo "batch ingest: $((batch_rps * 500)) events/s"

total=$(python3 scripts/load_events.py "$base" "$token" count)
day=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc)-d.timedelta(days=3)).strftime("%Y-%m-%dT%H:00:00Z"))')
day_end=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc)-d.timedelta(days=2)).strftime("%Y-%m-%dT%H:00:00Z"))')
QUERY="/api/v1/events?from=$day&to=$day_end&limit=50" run_wrk q_time 4 scripts/wrk/get.lua "$base"
QUERY="/api/v1/events?actor=user-417&limit=50" run_wrk q_actor 4 scripts/wrk/get.lua "$base"
QUERY="/api/v1/events?q=password&limit=50" run_wrk q_text 4 scripts/wrk/get.lua "$base"
final_rss=$(( $(rss_kb) / 1024 ))

peak=0
for f in "$OUT"/*.rss; do v=$(cat "$f"); [ "$v" -gt "$peak" ] && peak=$v; done
single=$(rps single)
ceiling=$(rps healthz)
cat >"$OUT/summary.md" <<MD
| measurement | result | target |
| --- | --- | --- |
| \`GET /healthz\` ($CONNECTIONS connections) | $ceiling req/s | ceiling |
| single-event \`POST /api/v1/events\` ($CONNECTIONS connections) | $single events/s ($((100 * single / ceiling))% of ceiling) | ≥ 50% of ceiling |
| batch ingest (500 per request, 16 connections) | $((batch_rps * 500)) events/s | ≥ 100,000 events/s |
| events stored during queries | $total | 1,000,000 |
| query: 24 h time range, 50 rows (p50 / p99) | $(pct q_time 50%) / $(pct q_time 99%) | p99 ≤ 20 ms |
| query: actor filter, 50 rows (p50 / p99) | $(pct q_actor 50%) / $(pct q_actor 99%) | p99 ≤ 20 ms |
| query: full text \`q=password\`, 50 rows (p50 / p99) | $(pct q_text 50%) / $(pct q_text 99%) | p99 ≤ 20 ms |
| RSS idle / peak under load / after | ${idle_rss} MB / ${peak} MB / ${final_rss} MB | ≤ 150 MB under load |
MD
cat "$OUT/summary.md"
