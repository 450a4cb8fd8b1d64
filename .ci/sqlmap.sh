#!/usr/bin/env bash
# sqlmap (Debian package) against the portal's search and form endpoints on a running server:
# every tested parameter must come out "not injectable". First it must find the deliberately
# injectable control page (.ci/injectable.py), so a clean result means the tool worked.
#   .ci/sqlmap.sh BASE_URL          the time-bounded subset `make test` runs (no time-based tests)
#   .ci/sqlmap.sh BASE_URL --full   every technique at level 2, risk 2, more endpoints
set -euo pipefail
cd "$(dirname "$0")/.."
base=$1 mode=${2:-subset}
work=$(mktemp -d /tmp/onestop-sqlmap.XXXXXX)
control_pid=
cleanup() { [ -n "$control_pid" ] && kill "$control_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

if [ "$mode" = --full ]; then
  options=(--level=2 --risk=2)
else
  options=(--level=1 --risk=1 --technique=BEU)
fi
origin=$(printf '%s' "$base" | sed -E 's#^(https?://[^/]+).*#\1#')

# One sqlmap run; prints whether it found an injection point. Same-origin headers, because the
# portal refuses cross-origin posts before any handler (which is not what is under test here).
probe() { # url [extra sqlmap options...]
  local url=$1; shift
  sqlmap -u "$url" "$@" --batch --disable-coloring --flush-session --output-dir="$work/out" \
    --threads=1 --timeout=15 --retries=1 --skip-waf --answers="follow=N" --ignore-code=400,401 \
    --headers="Origin: $origin\nSec-Fetch-Site: same-origin" "${options[@]}" >"$work/run.log" 2>&1 || true
  if grep -q "sqlmap identified the following injection point" "$work/run.log"; then
    echo injectable
  elif grep -qE "do not appear to be injectable|does not seem to be injectable" "$work/run.log"; then
    echo "clean ($(grep -c "\[INFO\] testing '" "$work/run.log") tests)"
  else
    echo "sqlmap could not test $url:" >&2; tail -n 20 "$work/run.log" >&2; echo broken
  fi
}

control_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 .ci/injectable.py "$control_port" &
control_pid=$!
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$control_port/" && break; sleep 0.1; done
if [ "$(probe "http://127.0.0.1:$control_port/?q=hukou" -p q)" != injectable ]; then
  echo "FAILED: sqlmap did not find the control page's injection, so its other results mean nothing"
  tail -n 30 "$work/run.log"; exit 1
fi
echo "==> sqlmap found the control page's injection"

# Search boxes and filters (GET) and sign-in (POST form route): text that reaches SQL or the
# search index.
targets=(
  "/search?q=%E6%88%B7%E5%8F%A3|q"
  "/services?department=620100-GA&topic=hukou|department,topic"
  "/places?q=%E5%9F%8E%E5%85%B3|q"
  "/library?q=%E4%B8%89%E5%9B%BD&branch=1&decade=1990|q,branch,decade"
  "/api/services/search?query=%E6%88%B7%E5%8F%A3|query"
  "/login|identifier,password|identifier=nobody%40example.cn&password=wrong-password-1"
)
if [ "$mode" = --full ]; then
  targets+=(
    "/hospitals?from=%E5%9F%8E%E5%85%B3%E5%8C%BA|from"
    "/library?q=x&field=title&available=1&class=I&page=2|field,available,class,page"
    "/bus?q=1|q"
    "/progress|number,id_last4|number=A1&id_last4=8172"
    "/password-reset|email|email=nobody%40example.cn"
  )
fi
failed=0
for target in "${targets[@]}"; do
  IFS='|' read -r path params data <<<"$target"
  extra=(-p "$params")
  [ -n "${data:-}" ] && extra+=(--data="$data")
  started=$(date +%s)
  result=$(probe "$base$path" "${extra[@]}")
  echo "==> sqlmap $path ($params): $result in $(( $(date +%s) - started )) s"
  case $result in clean*) ;; *) failed=1; tail -n 30 "$work/run.log" ;; esac
done
exit $failed
