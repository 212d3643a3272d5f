#!/usr/bin/env bash
# Reproduces docs/benchmarks.md: a release `vigil serve` on SQLite or PostgreSQL, loaded with
# wrk from the same 2-core machine over 127.0.0.1. Every load is bounded in time and talks only
# to loopback.
#
#   scripts/bench.sh                               # SQLite, full run (~10 min after the release build)
#   EVENTS=200000 DURATION=5 scripts/bench.sh      # quicker, smaller
#   ENGINE=postgres scripts/bench.sh               # the same on a throwaway PostgreSQL 15 cluster (root)
#   ENGINE=postgres SCALE=1 scripts/bench.sh       # only: single-event ingest through 1, 2, 3 nodes
#   NODE_CPU=0.3 ENGINE=postgres SCALE=1 scripts/bench.sh   # the same, each node capped at 0.3 CPU
#                                                  # (cgroup v1 cpu quota), as if on its own small host
#   DETECTION=1 scripts/bench.sh                   # only: ingest with every rule on vs off, and
#                                                  # ingest→alert latency idle and under load
#   NOTIFY=1 scripts/bench.sh                      # only: ingest→webhook received latency, idle and
#                                                  # under the mixed load
#   REPORTS=1 scripts/bench.sh                     # only: export rows/s and RSS, stats latency for a
#                                                  # 24 h and a 30-day window, at EVENTS stored events
#   LOAD_SHAPE=live REPORTS=1 scripts/bench.sh     # the same with events arriving in time order and
#                                                  # skewed addresses/actors (scripts/load_events.py)
#   SYSLOG=1 scripts/bench.sh                      # only: syslog over UDP and TCP (scripts/bench_syslog.py):
#                                                  # messages/s and message→stored latency
#   CONSOLE=1 scripts/bench.sh                     # only: the console's alert queue with ALERTS (default
#                                                  # 10,000) open alerts, as a signed-in browser asks for it
#   WORK=/var/tmp/b10m EVENTS=10000000 scripts/bench.sh   # keep the database in WORK and reuse it on
#                                                  # the next run with the same WORK: loading only
#                                                  # tops it up to EVENTS, so a 10 M load serves
#                                                  # the query run and the REPORTS=1 run alike
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${EVENTS:-1000000}        # events stored before the query benchmark
DURATION=${DURATION:-10}         # seconds per wrk run
CONNECTIONS=${CONNECTIONS:-64}
BIN=${VIGIL_BIN:-.build/release/vigil}
OUT=${OUT:-bench-results}
ENGINE=${ENGINE:-sqlite}
SCALE=${SCALE:-}
DETECTION=${DETECTION:-}
NOTIFY=${NOTIFY:-}
REPORTS=${REPORTS:-}
NODE_CPU=${NODE_CPU:-}
CONSOLE=${CONSOLE:-}
ALERTS=${ALERTS:-10000}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3; }
[ -x "$BIN" ] || swift build -c release --product vigil
mkdir -p "$OUT"
if [ -n "${WORK:-}" ]; then
    # A kept database outlives the run; a PostgreSQL cluster in it is stopped, not removed.
    work=$WORK KEEP=1
    mkdir -p "$work"
else
    work=$(mktemp -d /tmp/vigil-bench.XXXXXX)
fi
chmod 755 "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
cgroups=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    for g in "${cgroups[@]}"; do rmdir "$g" 2>/dev/null || true; done
    [ "$ENGINE" = postgres ] && [ -z "${KEEP:-}" ] && scripts/pg-cluster.sh remove "$work/pg" >/dev/null 2>&1
    [ "$ENGINE" = postgres ] && [ -n "${WORK:-}" ] && scripts/pg-cluster.sh stop "$work/pg" >/dev/null 2>&1
    [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

case "$ENGINE" in
sqlite) database_url="sqlite://$work/vigil.sqlite" ;;
postgres)
    # fsync and synchronous_commit stay on: the numbers are for durable commits.
    export PG_OPTIONS="-c shared_buffers=512MB -c max_wal_size=4GB -c checkpoint_timeout=15min"
    if [ -f "$work/pg/port" ]; then
        scripts/pg-cluster.sh restart "$work/pg"
        admin_url="postgres://vigil:vigil-test-password@127.0.0.1:$(cat "$work/pg/port")/postgres?sslmode=disable"
    else
        admin_url=$(scripts/pg-cluster.sh start "$work/pg")
        psql "$admin_url" -Xq -c "CREATE DATABASE vigil"
    fi
    database_url="${admin_url%/postgres*}/vigil?sslmode=disable"
    ;;
*) echo "ENGINE must be sqlite or postgres" >&2; exit 2 ;;
esac

# start_node PORT -> starts a node in the background, appends its pid to pids
start_node() {
    VIGIL_PORT=$1 VIGIL_DATABASE_URL="$database_url" VIGIL_ADMIN_PASSWORD=bench-admin-password \
        VIGIL_ACCESS_TOKEN_TTL=86400 VIGIL_LOG_LEVEL=warning VIGIL_ALLOW_PRIVATE_TARGETS=true VIGIL_ALERT_STORM_LIMIT=100000 \
        "$BIN" serve >>"$work/server-$1.log" 2>&1 &
    pids+=($!)
    if [ -n "$NODE_CPU" ]; then
        local group="/sys/fs/cgroup/cpu/vigil-bench-$1"
        mkdir -p "$group"
        echo 100000 >"$group/cpu.cfs_period_us"
        echo "$(awk "BEGIN { printf \"%d\", $NODE_CPU * 100000 }")" >"$group/cpu.cfs_quota_us"
        echo "$!" >"$group/cgroup.procs"
        cgroups+=("$group")
    fi
    for _ in $(seq 150); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return; sleep 0.2; done
    echo "node on port $1 did not start" >&2; cat "$work/server-$1.log" >&2; exit 1
}
port=$(free_port)
base="http://127.0.0.1:$port"
start_node "$port"
pid=${pids[0]}

token=$(curl -sf -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"bench-admin-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
export TOKEN=$token

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
# Waits (at most 10 minutes) until the server used under 5 % of a core for two seconds in a
# row; prints the seconds waited.
wait_idle() {
    local waited=0 quiet=0 before after
    while [ "$quiet" -lt 2 ] && [ "$waited" -lt 600 ]; do
        before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        sleep 1
        after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        if [ $((after - before)) -lt 5 ]; then quiet=$((quiet + 1)); else quiet=0; fi
        waited=$((waited + 1))
    done
    echo "$waited"
}
# Samples the server's RSS every 200 ms while a load runs; prints the peak in MB.
peak_rss() {
    local peak=0 now
    while kill -0 "$1" 2>/dev/null; do
        now=$(rss_kb); [ "$now" -gt "$peak" ] && peak=$now
        sleep 0.2
    done
    echo $((peak / 1024))
}

# run_wrk NAME CONNECTIONS SCRIPT URL [tolerant] -> writes $OUT/NAME.txt, fails on any non-2xx
# response unless "tolerant" (then the count of failed requests is reported by `failures`)
run_wrk() {
    local name=$1 conns=$2 script=$3 url=$4 tolerant=${5:-}
    wrk -t2 -c"$conns" -d"${DURATION}s" --latency ${script:+-s "$script"} "$url" >"$OUT/$name.txt" &
    local wrk_pid=$!
    peak_rss "$wrk_pid" >"$OUT/$name.rss"
    wait "$wrk_pid"
    if [ -z "$tolerant" ] && grep -q "Non-2xx" "$OUT/$name.txt"; then
        echo "$name: non-2xx responses:" >&2; cat "$OUT/$name.txt" >&2; exit 1
    fi
}
rps() { awk '/Requests\/sec/ {printf "%d", $2}' "$OUT/$1.txt"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$OUT/$1.txt"; }
# ratio A B -> A's p99 over B's p99 (wrk prints us, ms or s), one decimal
ratio() {
    awk -v a="$(pct "$1" 99%)" -v b="$(pct "$2" 99%)" 'function ms(v) {
        if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v
    } BEGIN { printf "%.1f", ms(a) / ms(b) }'
}
# (wrk leaves requests past its 2 s timeout out of the latencies and counts them apart.)
failures() {
    awk '/Non-2xx/ {n = $NF} /requests in/ {t = $1} /Socket errors/ {o = $NF} END {
        printf "%d of %d requests failed, %d past 2 s", n, t, o }' "$OUT/$1.txt"
}

# How many events the database holds, asked of the engine (paging through 10 M by the API is slow).
stored_events() {
    if [ "$ENGINE" = postgres ]; then
        psql "$database_url" -XAtq -c "SELECT count(*) FROM events"
    else
        sqlite3 "$work/vigil.sqlite" "SELECT count(*) FROM events"
    fi
}
# Loads events through the batch API until the database holds at least EVENTS (all of them on a
# fresh database; only the difference on a kept one, WORK=…); the report goes to $OUT/load.txt.
load_to_events() {
    local missing=$((EVENTS - $(stored_events)))
    if [ "$missing" -gt 0 ]; then
        python3 scripts/load_events.py "$base" "$token" "$missing" | tee "$OUT/load.txt"
    else
        echo "the kept database already holds at least $EVENTS events" | tee "$OUT/load.txt"
    fi
}

# CPU seconds used so far by the given processes (utime + stime).
cpu_seconds() {
    local ticks=0 p
    for p in "$@"; do
        [ -r "/proc/$p/stat" ] && ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$p/stat")))
    done
    echo "scale=1; $ticks / $(getconf CLK_TCK)" | bc
}
postgres_pids() { pgrep -u postgres -d ' ' postgres || true; }

if [ -n "$SCALE" ]; then
    # Single-event ingest through one node, then through two nodes at once (half the connections
    # each), with the CPU time each side used during the run.
    [ "$ENGINE" = postgres ] || { echo "SCALE needs ENGINE=postgres" >&2; exit 2; }
    scale_run() {
        local name=$1; shift
        local before_v before_p
        before_v=$(cpu_seconds "${pids[@]}"); before_p=$(cpu_seconds $(postgres_pids))
        local wrks=() n=0
        for target in "$@"; do
            n=$((n + 1))
            wrk -t1 -c$((CONNECTIONS / $#)) -d"${DURATION}s" --latency -s scripts/wrk/single-event.lua "$target/api/v1/events" \
                >"$OUT/$name-$n.txt" &
            wrks+=($!)
        done
        wait "${wrks[@]}"
        local total=0
        for i in $(seq "$n"); do total=$((total + $(rps "$name-$i"))); done
        local vigil_cpu pg_cpu
        vigil_cpu=$(echo "$(cpu_seconds "${pids[@]}") - $before_v" | bc)
        pg_cpu=$(echo "$(cpu_seconds $(postgres_pids)) - $before_p" | bc)
        echo "| $name | $total events/s | vigil ${vigil_cpu} s, postgres ${pg_cpu} s of $((2 * DURATION)) s CPU |" | tee -a "$OUT/scale.md"
    }
    run_wrk healthz "$CONNECTIONS" "" "$base/healthz"
    echo "| healthz, 1 node${NODE_CPU:+ (${NODE_CPU} CPU)} | $(rps healthz) req/s | |" | tee "$OUT/scale.md"
    scale_run "single-event, 1 node" "$base"
    targets=("$base")
    for n in 2 3; do
        extra=$(free_port)
        start_node "$extra"
        targets+=("http://127.0.0.1:$extra")
        scale_run "single-event, $n nodes" "${targets[@]}"
    done
    exit 0
fi

if [ -n "${SYSLOG:-}" ]; then
    if [ "$ENGINE" = postgres ]; then
        echo "SYSLOG=1 takes a database URL: scripts/bench_syslog.py postgres://…" >&2
        exit 2
    fi
    VIGIL_BIN="$BIN" python3 scripts/bench_syslog.py
    exit 0
fi

if [ -n "$CONSOLE" ]; then
    # ALERTS high and critical events, each opening its own alert (the built-in "High severity
    # event" rule; the storm limit is raised for the benchmark), then the queue page with the
    # session cookies of a console sign-in, and the API list it calls for comparison.
    python3 - "$base" "$token" "$ALERTS" <<'PY'
import json, sys, time, urllib.error, urllib.request
base, token, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
def call(method, path, body=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    for _ in range(30):
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.load(response) if response.status != 204 else None
        except urllib.error.HTTPError as error:
            # 503/429 under the load's own pressure: back off as told and send it again.
            if error.code not in (429, 503):
                raise
            time.sleep(float(error.headers.get("Retry-After", "1")))
    raise SystemExit("the server kept refusing the load")
for start in range(0, total, 500):
    call("POST", "/api/v1/events/batch", [{"type": "ids.alert", "severity": "critical" if (start + i) % 3 == 0 else "high",
          "actor": f"host-{start + i}", "description": "bench"} for i in range(min(500, total - start))])
deadline = time.time() + 300
while time.time() < deadline:
    stats = call("GET", "/api/v1/stats")
    if (stats.get("alerts") or {}).get("open", 0) >= total:
        break
    time.sleep(1)
print("open alerts:", stats["alerts"]["open"])
PY
    jar="$work/cookies"
    csrf=$(curl -fsS -c "$jar" "$base/" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
    curl -fsS -b "$jar" -c "$jar" -o /dev/null --data-urlencode username=admin --data-urlencode password=bench-admin-password \
        --data-urlencode "csrf=$csrf" "$base/sign-in"
    COOKIE=$(awk '$6 ~ /^vigil_/ {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$jar")
    export COOKIE
    QUERY="/alerts" run_wrk queue 4 scripts/wrk/page.lua "$base"
    QUERY="/alerts/rows?status=open&status=acknowledged&sort=severity" run_wrk queue_rows 4 scripts/wrk/page.lua "$base"
    QUERY="/api/v1/alerts?status=open&status=acknowledged&sort=severity" run_wrk queue_api 4 scripts/wrk/get.lua "$base"
    cat >"$OUT/console.md" <<MD
Engine: $ENGINE, $ALERTS open alerts, 4 connections for $DURATION s each

| measurement | p50 | p99 | requests/s | target |
| --- | --- | --- | --- | --- |
| \`GET /alerts\` (the queue page, signed-in cookies) | $(pct queue 50%) | $(pct queue 99%) | $(rps queue) | p99 ≤ 50 ms |
| \`GET /alerts/rows\` (its live update) | $(pct queue_rows 50%) | $(pct queue_rows 99%) | $(rps queue_rows) | — |
| \`GET /api/v1/alerts?status=open&status=acknowledged&sort=severity\` (what the page calls) | $(pct queue_api 50%) | $(pct queue_api 99%) | $(rps queue_api) | — |
MD
    cat "$OUT/console.md"
    exit 0
fi

if [ -n "$REPORTS" ]; then
    # EVENTS spread over 30 days, then: the rollups catching up, a full CSV and NDJSON export
    # (rows/s, peak RSS sampled every 200 ms), stats over the last 24 h and 30 days.
    load_to_events
    started=$(date +%s.%N)
    python3 scripts/report_probe.py rollups "$base" "$token" >/dev/null
    caught_up=$(echo "$(date +%s.%N) - $started" | bc)
    # The rollups are caught up, but the detector and the sealer may still be working through
    # the load; the engine's dump below runs on an idle node, so the export must too.
    settled=$(wait_idle)
    idle_rss=$(( $(rss_kb) / 1024 ))
    echo "$idle_rss" >"$OUT/idle.rss"
    for format in csv ndjson; do
        python3 scripts/report_probe.py export "$base" "$token" "$format" >"$OUT/export-$format.txt" &
        probe=$!
        peak_rss "$probe" >"$OUT/export-$format.rss"
        wait "$probe"
    done
    # The export and the engine's own CSV dump of the same rows in the same order, read the
    # same way — by a C reader into a pipe, lines counted — so the ratio compares the servers.
    started=$(date +%s.%N)
    exported=$(curl -sf -H "Authorization: Bearer $token" "$base/api/v1/events/export?format=csv" | wc -l)
    export_rate=$(echo "($exported - 1) / ($(date +%s.%N) - $started)" | bc)
    started=$(date +%s.%N)
    dump_tool="sqlite3 -csv"
    if [ "$ENGINE" = postgres ]; then
        dump_tool='psql \copy … TO STDOUT CSV'
        dumped=$(psql "$database_url" -XAtq -c "\\copy (SELECT * FROM events ORDER BY occurred_at, id) TO STDOUT CSV" | wc -l)
    else
        dumped=$(sqlite3 -csv "$work/vigil.sqlite" "SELECT * FROM events ORDER BY occurred_at, id" | wc -l)
    fi
    dump_rate=$(echo "$dumped / ($(date +%s.%N) - $started)" | bc)
    now=$(python3 -c 'import datetime as d; print(d.datetime.now(d.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))')
    day_ago=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc)-d.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))')
    month_ago=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc)-d.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"))')
    QUERY="/api/v1/stats?from=$day_ago&to=$now&bucket=hour" run_wrk stats_day 4 scripts/wrk/get.lua "$base"
    QUERY="/api/v1/stats?from=$month_ago&to=$now&bucket=day" run_wrk stats_month 4 scripts/wrk/get.lua "$base"
    QUERY="/api/v1/stats?from=$day_ago&to=$now&bucket=minute" run_wrk stats_day_minutes 4 scripts/wrk/get.lua "$base"
    QUERY="/api/v1/stats?from=$month_ago&to=$now&bucket=day&source=sshd" run_wrk stats_month_filtered 4 scripts/wrk/get.lua "$base" tolerant
    cat >"$OUT/reports.md" <<MD
Engine: $ENGINE, $(stored_events) events stored, ${LOAD_SHAPE:-uniform} shape (rollups caught up ${caught_up%.*} s after loading, the node idle $settled s later)

| measurement | result | target |
| --- | --- | --- |
| CSV export of every event (read by the Python probe) | $(cat "$OUT/export-csv.txt"), RSS ${idle_rss} MB before, peak $(cat "$OUT/export-csv.rss") MB | ≥ 200,000 rows/s, growth ≤ 50 MB |
| CSV export read by \`curl \| wc -l\` | $export_rate rows/s ($((exported - 1)) rows) | — |
| the engine's own CSV dump of the same rows ($dump_tool \| wc -l) | $dump_rate rows/s ($dumped rows); the CSV export (curl) is $((100 * export_rate / dump_rate)) % of it | export ≥ 75 % |
| NDJSON export of every event | $(cat "$OUT/export-ndjson.txt"), peak RSS $(cat "$OUT/export-ndjson.rss") MB | ≥ 200,000 rows/s, growth ≤ 50 MB |
| stats, last 24 h, hourly (p50 / p99, 4 connections) | $(pct stats_day 50%) / $(pct stats_day 99%) ($(rps stats_day) req/s) | p99 ≤ 200 ms |
| stats, last 30 days, daily (p50 / p99) | $(pct stats_month 50%) / $(pct stats_month 99%) ($(rps stats_month) req/s) | p99 ≤ 200 ms |
| stats, last 24 h, per minute (p50 / p99) | $(pct stats_day_minutes 50%) / $(pct stats_day_minutes 99%), $(failures stats_day_minutes) | — |
| stats, last 30 days, \`source=sshd\` (from events, no rollups; p50 / p99) | $(pct stats_month_filtered 50%) / $(pct stats_month_filtered 99%), $(failures stats_month_filtered) | — |
MD
    cat "$OUT/reports.md"
    exit 0
fi

if [ -n "$NOTIFY" ]; then
    # A webhook channel to a receiver inside the probe; one critical event at a time, timed from
    # the ingest response to the signed POST arriving. Idle, then while the mixed load runs.
    idle=$(python3 scripts/detection_probe.py webhook "$base" "$token" "$DURATION")
    python3 scripts/detection_probe.py webhook "$base" "$token" "$DURATION" >"$OUT/webhook-load.txt" &
    probe=$!
    run_wrk notify-load "$CONNECTIONS" scripts/wrk/detection-mix.lua "$base/api/v1/events"
    wait "$probe"
    cat >"$OUT/notify.md" <<MD
Engine: $ENGINE

| measurement | result | target |
| --- | --- | --- |
| ingest→webhook received, idle | $idle | p99 < 1 s |
| ingest→webhook received, under the mixed load ($(rps notify-load) events/s) | $(cat "$OUT/webhook-load.txt") | p99 < 1 s |
MD
    cat "$OUT/notify.md"
    exit 0
fi

if [ -n "$DETECTION" ]; then
    # The same mixed load with every rule disabled and enabled, alternating (the log grows
    # during the run, so neither side gets only the emptier table), then the ingest→alert
    # latency with the rules on: idle, and while the mixed load saturates the node.
    mix() { run_wrk "$1" "$CONNECTIONS" scripts/wrk/detection-mix.lua "$base/api/v1/events"; }
    rounds=${ROUNDS:-3}
    off=0 on=0 offs="" ons=""
    for round in $(seq "$rounds"); do
        python3 scripts/detection_probe.py rules "$base" "$token" off
        mix "mix-off-$round"
        python3 scripts/detection_probe.py rules "$base" "$token" on
        mix "mix-on-$round"
        off=$((off + $(rps "mix-off-$round"))); offs="$offs $(rps "mix-off-$round")"
        on=$((on + $(rps "mix-on-$round"))); ons="$ons $(rps "mix-on-$round")"
    done
    idle=$(python3 scripts/detection_probe.py latency "$base" "$token" "$DURATION")
    python3 scripts/detection_probe.py latency "$base" "$token" "$DURATION" >"$OUT/latency-load.txt" &
    probe=$!
    mix mix-latency
    wait "$probe"
    cat >"$OUT/detection.md" <<MD
Engine: $ENGINE

| measurement | result | target |
| --- | --- | --- |
| mixed single-event ingest, every rule disabled ($rounds runs of ${DURATION} s) |$offs events/s (mean $((off / rounds))) | — |
| mixed single-event ingest, built-in rules enabled ($rounds runs, alternating) |$ons events/s (mean $((on / rounds)), $((100 * on / off))% of disabled) | ≥ 90% |
| ingest→alert latency, idle | $idle | p99 ≤ 1 s |
| ingest→alert latency, under the mixed load ($(rps mix-latency) events/s) | $(cat "$OUT/latency-load.txt") | p99 ≤ 1 s |
| RSS peak | $(cat "$OUT"/mix-*.rss | sort -n | tail -1) MB | ≤ 150 MB |
MD
    cat "$OUT/detection.md"
    exit 0
fi

idle_rss=$(( $(rss_kb) / 1024 ))
echo "idle RSS: ${idle_rss} MB"

run_wrk healthz "$CONNECTIONS" "" "$base/healthz"
echo "healthz: $(rps healthz) req/s"

run_wrk single "$CONNECTIONS" scripts/wrk/single-event.lua "$base/api/v1/events"
echo "single-event ingest: $(rps single) events/s"

load_to_events

BATCH=500 python3 scripts/wrk/make_batch.py >"$work/batch.json"
BATCH_FILE="$work/batch.json" run_wrk batch 16 scripts/wrk/batch.lua "$base/api/v1/events/batch"
batch_rps=$(rps batch)
echo "batch ingest: $((batch_rps * 500)) events/s"

if [ "$ENGINE" = postgres ]; then
    # Autovacuum analyzes a freshly loaded partition within about a minute; do it now so the
    # query numbers do not depend on when it wakes up.
    psql "$database_url" -XAtq -c "VACUUM ANALYZE events"
fi
total=$(stored_events)
day=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc)-d.timedelta(days=3)).strftime("%Y-%m-%dT%H:00:00Z"))')
day_end=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc)-d.timedelta(days=2)).strftime("%Y-%m-%dT%H:00:00Z"))')
QUERY="/api/v1/events?from=$day&to=$day_end&limit=50" run_wrk q_time 4 scripts/wrk/get.lua "$base"
QUERY="/api/v1/events?actor=user-417&limit=50" run_wrk q_actor 4 scripts/wrk/get.lua "$base"
# Full text is the target most likely to be missed (at 10 M events PostgreSQL's answers went past
# wrk's 2 s and into the 5 s statement timeout): its rows report failures instead of ending the run.
QUERY="/api/v1/events?q=password&limit=50" run_wrk q_text 4 scripts/wrk/get.lua "$base" tolerant
# A rare word: the number of one actor of 1,000 (user-417), in about 0.1 % of the events.
QUERY="/api/v1/events?q=417&limit=50" run_wrk q_rare 4 scripts/wrk/get.lua "$base" tolerant
# The same word over the back-filled month only, without the ingest phases' own ~1.3 M events
# of the last minutes (none of which contains it).
before_burst=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc)-d.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"))')
QUERY="/api/v1/events?q=password&to=$before_burst&limit=50" run_wrk q_text_spread 4 scripts/wrk/get.lua "$base" tolerant
final_rss=$(( $(rss_kb) / 1024 ))

peak=0
for f in "$OUT"/*.rss; do v=$(cat "$f"); [ "$v" -gt "$peak" ] && peak=$v; done
single=$(rps single)
ceiling=$(rps healthz)
cat >"$OUT/summary.md" <<MD
Engine: $ENGINE

| measurement | result | target |
| --- | --- | --- |
| \`GET /healthz\` ($CONNECTIONS connections) | $ceiling req/s | ceiling |
| single-event \`POST /api/v1/events\` ($CONNECTIONS connections) | $single events/s ($((100 * single / ceiling))% of ceiling) | ≥ 50% of ceiling |
| batch ingest (500 per request, 16 connections) | $((batch_rps * 500)) events/s | ≥ $([ "$ENGINE" = postgres ] && echo 60,000 || echo 50,000) events/s |
| events stored during queries | $total | $EVENTS |
| query: 24 h time range, 50 rows (p50 / p99) | $(pct q_time 50%) / $(pct q_time 99%) | p99 ≤ 20 ms |
| query: actor filter, 50 rows (p50 / p99) | $(pct q_actor 50%) / $(pct q_actor 99%) | p99 ≤ 20 ms |
| query: full text \`q=password\` (a word in ~24 % of events), 50 rows (p50 / p99) | $(pct q_text 50%) / $(pct q_text 99%) ($(ratio q_text q_time) × the time range's p99), $(failures q_text) | p99 ≤ 3 × the time range's |
| query: full text \`q=password\` before the ingest burst, 50 rows (p50 / p99) | $(pct q_text_spread 50%) / $(pct q_text_spread 99%) ($(ratio q_text_spread q_time) ×), $(failures q_text_spread) | p99 ≤ 3 × the time range's |
| query: full text \`q=417\` (a rare word, ~0.1 %), 50 rows (p50 / p99) | $(pct q_rare 50%) / $(pct q_rare 99%) ($(ratio q_rare q_time) ×), $(failures q_rare) | p99 ≤ 3 × the time range's |
| RSS idle / peak under load / after | ${idle_rss} MB / ${peak} MB / ${final_rss} MB | ≤ 150 MB under load |
MD
cat "$OUT/summary.md"
