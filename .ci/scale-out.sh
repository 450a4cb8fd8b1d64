#!/usr/bin/env bash
# One instance against two behind nginx, measured side by side (BENCHMARKS.md): two release
# servers on one PostgreSQL database (run under .ci/with-postgres.sh) and one S3-compatible bucket
# (s3s-fs), nginx balancing; ApacheBench (Debian apache2-utils) fetches pages through nginx with
# one upstream, then with both, rounds alternating.
#   .ci/scale-out.sh BIN SITE_ROOT
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1 site_root=$2
rounds=${ONESTOP_SCALE_ROUNDS:-3} requests=${ONESTOP_SCALE_REQUESTS:-6000} clients=${ONESTOP_SCALE_CLIENTS:-32}
command -v ab >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils >/dev/null; }
s3s=$(command -v s3s-fs || echo "$HOME/.cargo/bin/s3s-fs")
[ -x "$s3s" ] || { echo "s3s-fs is not installed: run .ci/setup.sh test" >&2; exit 1; }

work=$(mktemp -d /tmp/onestop-scale.XXXXXX)
pids=()
cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.1; done; echo "nothing on port $1" >&2; exit 1; }

s3_port=$(free_port) nginx_port=$(free_port)
mkdir -p "$work/s3/onestop-files"
"$s3s" --host 127.0.0.1 --port "$s3_port" --access-key scale --secret-key scale-secret-key-0123456789 "$work/s3" >/dev/null 2>&1 &
pids+=($!)
db="onestop_scale_$$"
psql -q "${ONESTOP_TEST_POSTGRES_URL:?run under .ci/with-postgres.sh}" -c "CREATE DATABASE $db"
export DATABASE_URL="${ONESTOP_TEST_POSTGRES_URL%/*}/$db"
source .ci/portal-env.sh
export ONESTOP_PUBLIC_ORIGIN="http://127.0.0.1:$nginx_port" ONESTOP_LOG=warn
export ONESTOP_FILES_S3_BUCKET=onestop-files ONESTOP_FILES_S3_ENDPOINT="http://127.0.0.1:$s3_port"
export ONESTOP_FILES_S3_ACCESS_KEY_ID=scale ONESTOP_FILES_S3_SECRET_ACCESS_KEY=scale-secret-key-0123456789
export ONESTOP_FILES_S3_ALLOW_HTTP=true
"$bin" seed-demo >/dev/null
# With ONESTOP_SCALE_PIN=1 each instance runs on a core of its own (instance a on CPU 0, b on
# CPU 1), as instances on machines of their own would; nginx, PostgreSQL and ApacheBench share both.
ports=()
cpu=0
for name in a b; do
  port=$(free_port)
  pin=()
  [ "${ONESTOP_SCALE_PIN:-}" = 1 ] && pin=(taskset -c "$cpu")
  cpu=$((cpu + 1))
  ONESTOP_LISTEN_ADDR="127.0.0.1:$port" ONESTOP_ADMIN_ADDR="127.0.0.1:$(free_port)" \
    ONESTOP_FILES_DIR="$work/$name" ONESTOP_LIBRARY_INDEX_DIR="$work/$name-index" \
    "${pin[@]}" "$bin" serve >"$work/$name.log" 2>&1 &
  pids+=($!)
  ports+=("$port")
done
for port in "${ports[@]}"; do wait_port "$port"; done

# nginx with the upstreams given, (re)started.
nginx_with() {
  [ -f "$work/nginx.pid" ] && { kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; sleep 0.5; }
  local servers=""
  for port in "$@"; do servers+="server 127.0.0.1:$port; "; done
  cat >"$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/body; proxy_temp_path $work/proxy; fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  upstream portal { $servers keepalive 64; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / { proxy_pass http://portal; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
EOF
  /usr/sbin/nginx -c "$work/nginx.conf" -e "$work/nginx-error.log"
  wait_port "$nginx_port"
}

# Requests per second through nginx for a page.
rate() { ab -q -k -n "$requests" -c "$clients" "http://127.0.0.1:$nginx_port$1" 2>/dev/null | awk '/^Requests per second/ { print $4 }'; }

pages=("/" "/services" "/services/620100-GA-QR-0001" "/search?q=%E6%88%B7%E5%8F%A3")
echo "pages through nginx, $clients clients with keep-alive, $requests requests a run, $rounds rounds"
echo
echo "| Page | One instance req/s | Two instances req/s | Two ÷ one (range) |"
echo "|---|---:|---:|---:|"
for page in "${pages[@]}"; do
  ones=() twos=() ratios=()
  for round in $(seq "$rounds"); do
    # Alternate which goes first.
    if [ $((round % 2)) = 1 ]; then order="1 2"; else order="2 1"; fi
    for n in $order; do
      if [ "$n" = 1 ]; then nginx_with "${ports[0]}"; else nginx_with "${ports[@]}"; fi
      rate "$page" >/dev/null # warm-up
      r=$(rate "$page")
      if [ "$n" = 1 ]; then one=$r; ones+=("$r"); else two=$r; twos+=("$r"); fi
    done
    ratios+=("$(awk -v a="$two" -v b="$one" 'BEGIN { printf "%.2f", a / b }')")
  done
  med() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
  lo=$(printf '%s\n' "${ratios[@]}" | sort -n | head -1) hi=$(printf '%s\n' "${ratios[@]}" | sort -n | tail -1)
  printf '| `%s` | %.0f | %.0f | **%s** (%s–%s) |\n' "$page" "$(med "${ones[@]}")" "$(med "${twos[@]}")" "$(med "${ratios[@]}")" "$lo" "$hi"
done
kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
if grep -q '"level":"ERROR"\|ERROR' "$work/a.log" "$work/b.log"; then
  echo "the instances logged errors:" >&2
  grep -h 'ERROR' "$work/a.log" "$work/b.log" >&2
  exit 1
fi
