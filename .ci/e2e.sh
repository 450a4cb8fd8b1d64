#!/usr/bin/env bash
# Starts the release server on a fresh, seeded SQLite database and runs the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1 site_root=$2
port=${ONESTOP_E2E_PORT:-3100}
work=$(mktemp -d /tmp/onestop-e2e.XXXXXX)
export ONESTOP_SITE_ROOT=$site_root DATABASE_URL="sqlite://$work/onestop.db"
export ONESTOP_REGISTERS_DATABASE="sqlite://$work/registers.db" ONESTOP_SUBJECT_KEY_FILE="$work/subject.key"
export ONESTOP_LISTEN_ADDR="127.0.0.1:$port" ONESTOP_E2E_BASE_URL="http://127.0.0.1:$port"

"$bin" seed-demo >/dev/null
"$bin" serve >"$work/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done

if ! (cd end2end && npm test); then
  echo "---- server log ----"; tail -n 50 "$work/server.log"; exit 1
fi
