#!/usr/bin/env bash
# The browser tests as `make test` runs them, in two lanes at once (one browser and one server
# leave most of a 2-core machine idle, waiting on each other):
#   lane 1: SQLite, JavaScript off (desktop and phone), then sqlmap's quick subset;
#   lane 2: SQLite, JavaScript on (desktop and phone), then the PostgreSQL pass (JavaScript on,
#           desktop) and sqlmap's quick subset against it.
# Pages without JavaScript take the browser longer (every step a page load), so the lanes take
# about as long as each other.
# Each pass has its own server, database, mail listener and ports (.ci/e2e.sh). A lane's output is
# printed whole when it ends, so the log reads one lane at a time.
#   .ci/e2e-lanes.sh SERVER_BINARY SITE_ROOT
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: .ci/e2e-lanes.sh SERVER_BINARY SITE_ROOT} site_root=${2:?}
logs=$(mktemp -d /tmp/onestop-e2e-lanes.XXXXXX)
trap 'rm -rf "$logs"' EXIT

(
  ONESTOP_E2E_PORT=3100 ONESTOP_E2E_VARIANTS=1,3 ONESTOP_E2E_SQLMAP=1 .ci/e2e.sh "$bin" "$site_root"
) >"$logs/1" 2>&1 &
lane1=$!
(
  ONESTOP_E2E_PORT=3200 ONESTOP_E2E_VARIANTS=0,2 .ci/e2e.sh "$bin" "$site_root"
  ONESTOP_E2E_PORT=3200 ONESTOP_E2E_VARIANTS=0 ONESTOP_E2E_SQLMAP=1 ONESTOP_E2E_POSTGRES=1 \
    .ci/with-postgres.sh .ci/e2e.sh "$bin" "$site_root"
) >"$logs/2" 2>&1 &
lane2=$!

status=0
for lane in 1 2; do
  pid_var=lane$lane
  if wait "${!pid_var}"; then result=passed; else result=FAILED; status=1; fi
  echo "==> browser-test lane $lane $result after ${SECONDS}s; its output:"
  cat "$logs/$lane"
done
exit "$status"
