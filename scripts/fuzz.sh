#!/usr/bin/env bash
# Fuzzes the built binary's whole API against its own OpenAPI document with schemathesis
# (PyPI), on 127.0.0.1 only, for a bounded time. Fails on any 5xx (a 503 too: the database is
# up), on a status the document does not list, on a wrong Content-Type and on a body that does
# not match its schema.
#
#   scripts/fuzz.sh                      # SQLite in a temporary directory
#   scripts/fuzz.sh postgres://…         # a PostgreSQL database (dropped and recreated by the caller)
#
# Environment: VIGIL_BIN (default .build/debug/vigil), FUZZ_SECONDS (default 150),
# FUZZ_EXAMPLES per operation (default 25), FUZZ_SEED (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${VIGIL_BIN:-$PWD/.build/debug/vigil}"
SECONDS_BUDGET="${FUZZ_SECONDS:-150}"
EXAMPLES="${FUZZ_EXAMPLES:-25}"
SEED="${FUZZ_SEED:-1}"
command -v st >/dev/null || python3 -m pip install --quiet schemathesis

work="$(mktemp -d /tmp/vigil-fuzz.XXXXXX)"
database="${1:-sqlite://$work/vigil.sqlite}"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
password="fuzz-admin-password"
cleanup() {
    [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Channels may reach only 127.0.0.1 (checked before any DNS query): whatever URLs the fuzzer
# invents, Vigil sends nothing off this machine. Registration is open so it is fuzzed too.
VIGIL_HOST=127.0.0.1 VIGIL_PORT="$port" VIGIL_DATABASE_URL="$database" VIGIL_ADMIN_PASSWORD="$password" \
    VIGIL_REGISTRATION=open VIGIL_ACCESS_TOKEN_TTL=3600 VIGIL_CHANNEL_HOSTS=127.0.0.1 VIGIL_LOG_LEVEL=warning \
    "$BIN" serve >"$work/vigil.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/vigil.log"; exit 1; }
    sleep 0.2
done
token="$(curl -fsS -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/v1/auth/login" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"

# A console session too, so the pages are fuzzed past the sign-in redirect (their forms still
# need the page's CSRF token, which the fuzzer does not have: every console POST must be a 403).
jar="$work/cookies"
csrf="$(curl -fsS -c "$jar" "http://127.0.0.1:$port/" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)"
curl -fsS -b "$jar" -c "$jar" -o /dev/null --data-urlencode "username=admin" --data-urlencode "password=$password" \
    --data-urlencode "csrf=$csrf" "http://127.0.0.1:$port/sign-in"
cookie="$(awk '$6 ~ /^vigil_/ {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$jar")"
case "$cookie" in *vigil_access=*) ;; *) echo "console sign-in failed"; exit 1 ;; esac

set -o pipefail
fuzz() {
    st run "http://127.0.0.1:$port/openapi.json" \
        --header "Authorization: Bearer $token" \
        --header "Cookie: $cookie" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --max-examples "$EXAMPLES" --max-time "$SECONDS_BUDGET" --seed "$1" \
        --phases "$2" --workers 2 --request-timeout 30 \
        --suppress-health-check all --no-color \
        --report junit --report-dir "$work/report" 2>&1 | tee "$work/st.log"
}
status=0
fuzz "$SEED" examples,coverage,fuzzing || status=$?
# A crash inside the fuzzer (its summary's "Runtime Error", e.g. CPython's "AST constructor
# recursion depth mismatch" in hypothesis) with no failure found is no finding about Vigil.
# It has come from schemathesis's coverage phase (twice in a row with seeds 1 and 2 on
# 2026-12-06, after 10,000 passing cases each), so the stage runs once more with another seed
# and without that phase, says so, and that run decides.
if [ "$status" -ne 0 ] && grep -q "Runtime Error" "$work/st.log" && ! grep -qE "[0-9]+ unique failure" "$work/st.log"; then
    echo "schemathesis crashed internally without a finding; running the stage once more without its coverage phase"
    status=0
    fuzz "$((SEED + 1))" examples,fuzzing || status=$?
fi

kill -0 "$pid" 2>/dev/null || { echo "vigil died during the fuzz run:"; tail -50 "$work/vigil.log"; exit 1; }
if [ "$status" -ne 0 ]; then
    echo "--- vigil log (last 40 lines)"
    tail -40 "$work/vigil.log"
fi
# One closing line in the plain form CI reads: test cases passed and failed.
# schemathesis sums up as "N generated, N passed" or "N generated, N found M unique failures".
summary="$(grep -E '^ *[0-9]+ generated' "$work/st.log" | tail -1)"
generated="$(grep -oE '[0-9]+ generated' <<<"$summary" | grep -oE '[0-9]+' || echo 0)"
failures="$(grep -oE '[0-9]+ unique failure' <<<"$summary" | grep -oE '^[0-9]+' || echo 0)"
[ "$status" -ne 0 ] && [ "$failures" -eq 0 ] && failures=1
echo "fuzz: $((generated - failures)) passed, $failures failed"
exit "$status"
