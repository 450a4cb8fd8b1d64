#!/usr/bin/env bash
# The size gate: what a citizen's browser downloads for the islands and the stylesheet, as the
# server sends it (the brotli copies .ci/build.sh writes beside each file), against the budget.
# Fails when the total grows past it. Pages themselves are HTML the server renders per request.
#   .ci/sizes.sh SITE_ROOT
set -euo pipefail
site_root=${1:?usage: .ci/sizes.sh SITE_ROOT}
# 150 kB, the budget of BENCHMARKS.md ("Page weight"); lower it as the download shrinks.
budget=${ONESTOP_DOWNLOAD_BUDGET:-153600}
total=0
printf '%-40s %10s %10s %10s\n' file raw gzip brotli
for f in "$site_root"/pkg/*.wasm "$site_root"/pkg/*.js "$site_root"/pkg/*.css; do
  [ -f "$f.br" ] && [ -f "$f.gz" ] || { echo "FAILED: $f has no compressed copies (run .ci/build.sh)"; exit 1; }
  br=$(stat -c %s "$f.br")
  printf '%-40s %10d %10d %10d\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(stat -c %s "$f.gz")" "$br"
  total=$((total + br))
done
printf '%-40s %32d bytes as served (budget %d)\n' "citizen download" "$total" "$budget"
if [ "$total" -gt "$budget" ]; then
  echo "FAILED: the citizen download grew past its budget ($total > $budget bytes brotli)"
  exit 1
fi
