#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on loopback, then removes it.
# Sets ONESTOP_TEST_POSTGRES_URL and a temporary directory (TMPDIR) of the run's own for the
# command. Installs PostgreSQL from Debian if missing.
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "==> installing PostgreSQL (Debian package)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# Below the kernel's ephemeral ports (32768-60999 here): a port among them may be held, at the
# moment the server binds, as the source port of any loopback connection (the browser lane that
# runs beside this one opens thousands with sqlmap), and the server then fails to start.
port=${ONESTOP_TEST_PG_PORT:-25432}
dir=$(mktemp -d /tmp/onestop-pg.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"

cleanup() {
  as_pg "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

as_pg "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
if ! as_pg "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c max_connections=200" \
  start >/dev/null; then
  echo "==> PostgreSQL did not start on port $port; its log:" >&2
  cat "$dir/server.log" >&2 || true
  exit 1
fi

export ONESTOP_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
# The command's temporary files (each test's SQLite database, spooled uploads, the CLI tests'
# files) go into the run's own directory and leave with the server: a test run used to leave
# about 900 database files in /tmp.
mkdir -p "$dir/tmp"
export TMPDIR="$dir/tmp"
"$@"
