#!/usr/bin/env bash
# Publishes the service as one file and checks that this file alone serves the API, the hub and
# the dashboard: runs it from an empty folder on demo data. Prints "1 passed, 0 failed" or the
# reverse as its last line.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
run=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
fail() { echo "single-file: $1" >&2; echo "0 passed, 1 failed"; exit 1; }
# Nothing this test starts outlives it: $pid is the binary itself (exec below), stopped on any exit.
cleanup() {
  if [ -n "${pid:-}" ]; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  fi
  rm -rf "$out" "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

dotnet publish src/Silo -c Release -r linux-x64 -p:PublishSingleFile=true -o "$out" --nologo -v quiet || fail "publish failed"
[ "$(find "$out" -maxdepth 1 -type f -perm -u+x | wc -l)" -eq 1 ] || fail "expected exactly one executable in $out"
cp "$out/OrleansReleases" "$run/"   # the one file, nothing else
(cd "$run" && exec ./OrleansReleases --demo --urls=http://127.0.0.1:$port \
   --Releases:Cluster:SiloPort=$((port + 1)) > "$run/log" 2>&1) &
pid=$!
for _ in $(seq 1 120); do
  grep -q "Now listening on" "$run/log" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$run/log" >&2; fail "the binary exited"; }
  sleep 0.5
done
base=http://127.0.0.1:$port
jar="$run/cookies"
curl -sf -c "$jar" -o /dev/null "$base/auth/dev-login?user=ci&roles=release-dev-lead&returnUrl=/releases" || fail "sign-in"
curl -sf -b "$jar" "$base/api/me" | grep -q '"demo":true' || fail "/api/me"
curl -sf -b "$jar" "$base/api/releases" | grep -q '"sourceBranch":"uat"' || fail "the demo release in the list"
curl -sf -b "$jar" -H 'X-Requested-With: XMLHttpRequest' -H 'Content-Type: application/json' \
  -d '{"sourceBranch":"uat","destBranch":"master"}' "$base/api/releases" | grep -q '"auth-service"' || fail "create a release"
curl -sf -b "$jar" "$base/releases" | grep -qi '<div id="app"' || fail "the dashboard page"
asset=$(curl -sf -b "$jar" "$base/releases" | grep -oE '/assets/[^"]+\.js' | head -1)
[ -n "$asset" ] && curl -sf -o /dev/null "$base$asset" || fail "the dashboard's script"
curl -sf -b "$jar" -X POST "$base/hubs/releases/negotiate?negotiateVersion=1" | grep -q connectionToken || fail "the SignalR hub"
curl -sf "$base/readyz" | grep -q Healthy || fail "/readyz"
echo "single-file: one $(du -h "$out/OrleansReleases" | cut -f1) file serves the API, the hub and the dashboard"
echo "1 passed, 0 failed"
