#!/usr/bin/env bash
# Lighthouse (npm, end2end/lighthouse/) in Debian's headless Chromium on the main citizen pages,
# with Lighthouse's mobile settings (a mid-range phone, simulated slow 4G and a 4x slower CPU):
# performance score, LCP, TBT, CLS and accessibility score per page, as a Markdown table, and
# the reports' figures as JSON in target/bench/lighthouse.json.
#   .ci/lighthouse.sh BIN SITE_ROOT     (`make lighthouse` builds first)
# Run it on an otherwise idle machine: the scores measure this machine's CPU too.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1 site_root=$2
port=${ONESTOP_LIGHTHOUSE_PORT:-3200}
work=$(mktemp -d /tmp/onestop-lighthouse.XXXXXX)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

if [ ! -x end2end/lighthouse/node_modules/.bin/lighthouse ] || [ end2end/lighthouse/package.json -nt end2end/lighthouse/node_modules/.installed ]; then
  echo "==> installing Lighthouse in end2end/lighthouse/"
  (cd end2end/lighthouse && npm install --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
fi

# A portal of its own with the demo city, on a database in a temporary directory.
export DATABASE_URL="sqlite://$work/onestop.db"
source .ci/portal-env.sh
export ONESTOP_LISTEN_ADDR="127.0.0.1:$port" ONESTOP_ADMIN_ADDR="127.0.0.1:$((port + 1))"
"$bin" seed-demo >/dev/null
"$bin" library reindex >/dev/null 2>&1
"$bin" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$work/server.log"; exit 1; }

guide=$(curl -fs "http://127.0.0.1:$port/services" | grep -oE 'href="/services/[0-9A-Z-]+"' | head -n 1 | sed -E 's#href="(.*)"#\1#')
pages=(/ /services "$guide" "/search?q=%E6%88%B7%E5%8F%A3" "/library?q=%E4%B8%AD%E5%9B%BD" /hospitals /bus)
mkdir -p target/bench
for page in "${pages[@]}"; do
  name=$(printf '%s' "$page" | tr -c 'A-Za-z0-9' '_')
  # Lighthouse now and then fails to record a trace (NO_NAVSTART); such a run is run again once.
  for attempt in 1 2; do
    if CHROME_PATH=${CHROMIUM_PATH:-/usr/bin/chromium} end2end/lighthouse/node_modules/.bin/lighthouse \
      "http://127.0.0.1:$port$page" --quiet --output=json --output-path="$work/$name.json" \
      --only-categories=performance,accessibility \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --lang=zh-CN" >/dev/null; then
      break
    fi
    [ "$attempt" = 2 ] && { echo "Lighthouse failed twice on $page"; exit 1; }
  done
done
node --input-type=module - "$work" "${pages[@]}" <<'JS'
import { readFileSync, writeFileSync } from 'node:fs';
const [dir, ...pages] = process.argv.slice(2);
const rows = pages.map((page) => {
  const r = JSON.parse(readFileSync(`${dir}/${page.replace(/[^A-Za-z0-9]/g, '_')}.json`, 'utf8'));
  const a = r.audits;
  return {
    page,
    performance: Math.round(r.categories.performance.score * 100),
    lcp_ms: Math.round(a['largest-contentful-paint'].numericValue),
    tbt_ms: Math.round(a['total-blocking-time'].numericValue),
    cls: Number(a['cumulative-layout-shift'].numericValue.toFixed(3)),
    accessibility: Math.round(r.categories.accessibility.score * 100),
    transfer_bytes: a['total-byte-weight'].numericValue,
    // Accessibility audits that did not pass, by id (Lighthouse runs axe-core with its own set).
    accessibility_failed: r.categories.accessibility.auditRefs
      .filter((ref) => ref.weight > 0 && a[ref.id].score !== null && a[ref.id].score < 1).map((ref) => ref.id),
  };
});
const out = { lighthouse: JSON.parse(readFileSync(`${dir}/_.json`, 'utf8')).lighthouseVersion, rows };
writeFileSync('target/bench/lighthouse.json', JSON.stringify(out, null, 2));
console.log(`Lighthouse ${out.lighthouse}, mobile settings\n`);
console.log('| Page | Performance | LCP (ms) | TBT (ms) | CLS | Accessibility | Bytes transferred | Accessibility audits not passed |');
console.log('|---|---:|---:|---:|---:|---:|---:|---|');
for (const r of rows) {
  const failed = r.accessibility_failed.join(', ') || 'none';
  console.log(`| \`${r.page}\` | ${r.performance} | ${r.lcp_ms} | ${r.tbt_ms} | ${r.cls} | ${r.accessibility} | ${r.transfer_bytes} | ${failed} |`);
}
JS
