#!/usr/bin/env bash
# Runs every test suite of OrleansReleases and ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

passed=0
failed=0
status=0

# Build everything first: the contract suites below run tools of the solution that no test
# project references (tests/OrleansReleases.QueryDump, the fakes), so dotnet test alone skips them.
dotnet build OrleansReleases.sln --nologo -v q || status=1

# .NET: domain, grain, storage, source and HTTP tests (tests/OrleansReleases.Tests).
log=$(mktemp)
dotnet test OrleansReleases.sln --nologo 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
while read -r p f; do
  passed=$((passed + p)); failed=$((failed + f))
done < <(sed -nE 's/.*(Passed|Failed)!.*Failed: *([0-9]+), Passed: *([0-9]+).*/\3 \2/p' "$log")
if ! grep -qE '(Passed|Failed)!' "$log"; then
  echo "dotnet test ran no test suite" >&2
  status=1
fi
rm -f "$log"

# Web: the dashboard's component tests (web/src/test, Vitest on jsdom). The JSON reporter's
# counts are added to the total; the default reporter shows each test.
report=$(mktemp --suffix=.json)
if (cd web && npm ci --no-audit --no-fund && npx vitest run --reporter=default --reporter=json --outputFile.json="$report"); then
  :
else
  status=1
fi
if counts=$(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (!r.numTotalTests) process.exit(2);
  console.log(r.numPassedTests, r.numFailedTests);' "$report" 2>/dev/null); then
  read -r p f <<<"$counts"
  passed=$((passed + p)); failed=$((failed + f))
else
  echo "vitest ran no web test (no report in $report)" >&2
  status=1
fi
rm -f "$report"

# End to end (node's test runner): the built service, a real OpenID provider (oidc-provider) and
# headless Chromium (Debian's chromium through playwright-core). Needs the build above.
log=$(mktemp)
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error && node --test --test-concurrency=1 --test-reporter=tap) 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
p=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log" | tail -1)
f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log" | tail -1)
if [ -z "$p" ]; then
  echo "the end-to-end tests did not run" >&2
  status=1
fi
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
rm -f "$log"

# Contract tests (node's test runner): the fakes and the service's calls checked against the
# services' own published material (GitHub's OpenAPI description and GraphQL schema, its webhook
# examples, Mattermost's official client). One folder each under tests/contracts.
for suite in tests/contracts/*/; do
  [ -f "$suite/package.json" ] || continue
  log=$(mktemp)
  (cd "$suite" && npm ci --no-audit --no-fund --loglevel=error && node --test --test-concurrency=1 --test-reporter=tap) 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  p=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log" | tail -1)
  f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log" | tail -1)
  if [ -z "$p" ]; then
    echo "the contract tests in $suite did not run" >&2
    status=1
  fi
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
  rm -f "$log"
done

# One binary: publish as a single file and check that file alone serves API, hub and dashboard.
log=$(mktemp)
tests/single-file/run.sh 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
read -r p f < <(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$log" | tail -1)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
rm -f "$log"

echo "$passed passed, $failed failed"
exit $status
