#!/usr/bin/env bash
# Starts the given server binary (`make test`: the test build's) on a fresh, seeded SQLite
# database and runs the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1 site_root=$2
port=${ONESTOP_E2E_PORT:-3100}
work=$(mktemp -d /tmp/onestop-e2e.XXXXXX)
export DATABASE_URL="sqlite://$work/onestop.db"
# With ONESTOP_E2E_POSTGRES=1 (and the server from .ci/with-postgres.sh) the portal runs on a new
# PostgreSQL database instead of SQLite.
if [ "${ONESTOP_E2E_POSTGRES:-}" = 1 ]; then
  pg_db="onestop_e2e_$$"
  psql -q "${ONESTOP_TEST_POSTGRES_URL:?run under .ci/with-postgres.sh}" -c "CREATE DATABASE $pg_db"
  export DATABASE_URL="${ONESTOP_TEST_POSTGRES_URL%/*}/$pg_db"
fi
echo "==> browser tests on $([ -n "${pg_db:-}" ] && echo PostgreSQL || echo SQLite), variants ${ONESTOP_E2E_VARIANTS:-all}, port $port"
source .ci/portal-env.sh
export ONESTOP_LISTEN_ADDR="127.0.0.1:$port" ONESTOP_E2E_BASE_URL="http://127.0.0.1:$port"
# Every browser of the suite comes from 127.0.0.1: one address signs in and registers far more
# often than one person would.
export ONESTOP_SIGN_INS_PER_ADDRESS=1000 ONESTOP_REGISTRATIONS_PER_ADDRESS=1000 ONESTOP_GAS_BINDS_PER_ADDRESS=1000
# JSON lines, so the check after the tests finds ERROR events exactly.
export ONESTOP_LOG_FORMAT=json
# Each server's operator endpoints on an address of its own (two servers run at once).
export ONESTOP_ADMIN_ADDR="127.0.0.1:$((port + 4))"

# A real SMTP listener on loopback; the portal delivers its mail there and tests read it.
smtp_port=$((port + 3))
export ONESTOP_SMTP_URL="smtp://127.0.0.1:$smtp_port" ONESTOP_E2E_MAILDIR="$work/mail"
node end2end/smtp-listener.mjs "$smtp_port" "$ONESTOP_E2E_MAILDIR" &
pids=($!)
# Whatever way this script ends, the processes it started stop and its files go.
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$bin" seed-demo >/dev/null
"$bin" library reindex >/dev/null 2>&1
# One audit administrator per browser variant, each with its one-time set-up token.
tokens=()
for i in 0 1 2 3; do
  tokens+=("$("$bin" create-admin --username "auditor$i" --display-name "审计管理员$i" --role audit_admin | grep -E '^[0-9a-f]{64}$')")
done
export ONESTOP_E2E_STAFF_TOKENS=$(IFS=,; echo "${tokens[*]}")
# And one security administrator per variant, who creates staff accounts.
tokens=()
for i in 0 1 2 3; do
  tokens+=("$("$bin" create-admin --username "secadmin$i" --display-name "安全管理员$i" --role security_admin | grep -E '^[0-9a-f]{64}$')")
done
export ONESTOP_E2E_SECADMIN_TOKENS=$(IFS=,; echo "${tokens[*]}")
# And one more security administrator per variant, who creates the window clerk of the
# applications test.
tokens=()
for i in 0 1 2 3; do
  tokens+=("$("$bin" create-admin --username "casesec$i" --display-name "安全管理员$i" --role security_admin | grep -E '^[0-9a-f]{64}$')")
done
export ONESTOP_E2E_CASE_SECADMIN_TOKENS=$(IFS=,; echo "${tokens[*]}")
# And one system administrator per variant, who edits the service catalogue.
tokens=()
for i in 0 1 2 3; do
  tokens+=("$("$bin" create-admin --username "sysadmin$i" --display-name "系统管理员$i" --role system_admin | grep -E '^[0-9a-f]{64}$')")
done
export ONESTOP_E2E_SYSADMIN_TOKENS=$(IFS=,; echo "${tokens[*]}")
# Until a partner system's address answers at all (any HTTP status).
wait_answering() { # url log pid
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "$1" && return 0
    kill -0 "$3" 2>/dev/null || { cat "$2"; exit 1; }
    sleep 0.1
  done
  echo "$1 did not answer"; cat "$2"; exit 1
}
# The bus company's GTFS Realtime feed on a port of its own: the portal polls it over HTTP.
feed_port=$((port + 6))
"$bin" bus serve-feed --listen "127.0.0.1:$feed_port" >"$work/feed.log" 2>&1 &
pids+=($!)
export ONESTOP_BUS_REALTIME_URL="http://127.0.0.1:$feed_port/gtfs-rt/v1/feed"
wait_answering "$ONESTOP_BUS_REALTIME_URL" "$work/feed.log" "${pids[-1]}"
# The gas company's and the city library's interfaces over signed HTTP, as a department's would
# be (each with its own key): the portal calls them.
gas_port=$((port + 7))
export ONESTOP_GAS_PROVIDER_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export ONESTOP_LIBRARY_PROVIDER_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$bin" providers serve --listen "127.0.0.1:$gas_port" >"$work/gas.log" 2>&1 &
pids+=($!)
export ONESTOP_GAS_PROVIDER_URL="http://127.0.0.1:$gas_port" ONESTOP_LIBRARY_PROVIDER_URL="http://127.0.0.1:$gas_port"
wait_answering "$ONESTOP_GAS_PROVIDER_URL/" "$work/gas.log" "${pids[-1]}"
# Map tiles from a tile server of their own, as a city's surveying bureau would run one.
tile_port=$((port + 8))
node end2end/tile-server.mjs "$tile_port" &
pids+=($!)
export ONESTOP_MAP_TILES="http://127.0.0.1:$tile_port/{z}/{x}/{y}.svg" ONESTOP_MAP_ATTRIBUTION="测试瓦片 Test tiles"
wait_answering "http://127.0.0.1:$tile_port/" /dev/null "${pids[-1]}"
"$bin" serve >"$work/server.log" 2>&1 &
pids+=($!)
server_pid=$!

wait_healthy() { # port log pid
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$3" 2>/dev/null || { cat "$2"; exit 1; }
    sleep 0.1
  done
  echo "server on port $1 did not become healthy"; cat "$2"; exit 1
}
wait_healthy "$port" "$work/server.log" "$server_pid"

# A second portal on the same database whose registers sit behind a department endpoint that
# accepts connections and never answers: what citizens see when a register is down.
silent_port=$((port + 2)) degraded_port=$((port + 1))
node -e "require('net').createServer(() => {}).listen($silent_port, '127.0.0.1')" &
pids+=($!)
ONESTOP_LISTEN_ADDR="127.0.0.1:$degraded_port" ONESTOP_ADMIN_ADDR="127.0.0.1:$((port + 5))" ONESTOP_REGISTERS_URL="http://127.0.0.1:$silent_port" \
  ONESTOP_REGISTERS_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') ONESTOP_REGISTERS_TIMEOUT_MS=800 \
  "$bin" serve >"$work/degraded.log" 2>&1 &
pids+=($!)
wait_healthy "$degraded_port" "$work/degraded.log" "${pids[-1]}"
export ONESTOP_E2E_DEGRADED_URL="http://127.0.0.1:$degraded_port"

# ONESTOP_E2E_ONLY=applications.test.js runs one file of the suite (while working on it).
if ! (cd end2end && if [ -n "${ONESTOP_E2E_ONLY:-}" ]; then node --test --test-concurrency=1 "tests/$ONESTOP_E2E_ONLY"; else npm test; fi); then
  echo "---- server log ----"; tail -n 20 "$work/server.log"
  # Last, so that it is what a shortened CI log keeps: the first server-side errors, warnings
  # and 5xx answers, which usually say what went wrong.
  echo "---- server errors, warnings and 5xx answers ----"
  grep -h -E '"level":"(ERROR|WARN)"|"http.status":5[0-9][0-9]' "$work/server.log" "$work/degraded.log" | head -n 30 || true
  exit 1
fi

# sqlmap against the search and form endpoints of the same server (`make test` asks for it on
# both databases), before the ERROR-line check, which then also covers its hostile input.
# `ONESTOP_E2E_SQLMAP=full` runs the long version instead.
case ${ONESTOP_E2E_SQLMAP:-} in
  "") ;;
  full) .ci/sqlmap.sh "$ONESTOP_E2E_BASE_URL" --full ;;
  *) .ci/sqlmap.sh "$ONESTOP_E2E_BASE_URL" ;;
esac

# A server ERROR line is a defect even when every page looked right to the browser.
errors=$(grep -h '"level":"ERROR"' "$work/server.log" "$work/degraded.log" "$work/feed.log" "$work/gas.log" || true)
if [ -n "$errors" ]; then
  echo "FAILED: the portal logged ERROR lines during the browser tests:"; echo "$errors"; exit 1
fi
