#!/usr/bin/env bash
# Builds the release server and the browser site without cargo-leptos, the two in parallel:
#   server: cargo build --release (binary `onestop`); skipped with --site-only (`make test`
#           runs the browser tests against the server its test build makes)
#   site:   the `hydrate` library for wasm32 (size profile) → wasm-bindgen → wasm-opt, the
#           stylesheet and public/, named after one hash of their content, which the hash
#           file next to the server binary gives.
# The site layout is `cargo leptos build --release`'s, with one hash in all three names;
# cargo-leptos stays the tool for `cargo leptos watch`.
#   .ci/build.sh SITE_ROOT [--site-only]
set -euo pipefail
cd "$(dirname "$0")/.."
site_root=${1:?usage: .ci/build.sh SITE_ROOT [--site-only]}
site_only=${2:-}
target=${CARGO_TARGET_DIR:-$PWD/target}
# The wasm build gets its own target directory, so that both cargo runs hold their own lock and
# run at the same time (each has a long single-threaded tail: linking, fat LTO).
wasm_target=$target/wasm
name=onestop
say() { printf '==> %s\n' "$*"; }
elapsed() { printf '%dm%02ds' $((SECONDS / 60)) $((SECONDS % 60)); }

if [ "$site_only" = --site-only ]; then
  say "building the browser module (wasm)"
  (true) &
else
  say "building the server (release) and the browser module (wasm) in parallel"
  (cargo build --locked --release -p onestop-server --bin "$name" 2>&1 | sed -u 's/^/[server] /') &
fi
server_pid=$!
(cargo build --locked --profile wasm-release -p app --lib --target wasm32-unknown-unknown \
  --no-default-features --features hydrate --target-dir "$wasm_target" 2>&1 | sed -u 's/^/[wasm]   /') &
wasm_pid=$!
status=0
wait "$wasm_pid" || status=$?
if [ "$status" -ne 0 ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; exit "$status"; fi
say "browser module compiled after $(elapsed)"

# Bindings and size optimisation while the server may still be compiling.
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$staging" --out-name "$name" \
  "$wasm_target/wasm32-unknown-unknown/wasm-release/app.wasm"
# The features Rust's wasm32 target enables by default; binaryen must accept them.
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  -o "$staging/${name}_bg.wasm" "$staging/${name}_bg.wasm"

# One hash of all three files names each of them, so the server finds them from its output name
# alone (leptos's head components would otherwise read the hash file on every page). A change
# to any one renames all three; that happens only when a new build is deployed.
hash=$(cat "$staging/$name.js" "$staging/${name}_bg.wasm" style/main.css | sha256sum | cut -c1-20)
mkdir -p "$(dirname "$site_root")"
new_site=$(mktemp -d "$(dirname "$site_root")/.site.XXXXXX")
mkdir -p "$new_site/pkg"
cp -R public/. "$new_site/"
cp "$staging/$name.js" "$new_site/pkg/$name.$hash.js"
cp "$staging/${name}_bg.wasm" "$new_site/pkg/$name.${hash}_bg.wasm"
cp style/main.css "$new_site/pkg/$name.$hash.css"
# Brotli and gzip copies beside each file: the server sends these as they are (smallest at no
# cost per request) instead of compressing on the fly at a lower level.
node -e '
const fs = require("fs"), zlib = require("zlib");
for (const f of process.argv.slice(1)) {
  const data = fs.readFileSync(f);
  fs.writeFileSync(f + ".br", zlib.brotliCompressSync(data, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
  fs.writeFileSync(f + ".gz", zlib.gzipSync(data, { level: 9 }));
}' "$new_site"/pkg/*
chmod 755 "$new_site"
# Swap the finished site in whole, so a running server never sees half of one.
rm -rf "$site_root.old"
[ -d "$site_root" ] && mv "$site_root" "$site_root.old"
mv "$new_site" "$site_root"
rm -rf "$site_root.old"

wait "$server_pid" || exit $?
# The server reads the hash from this file beside its binary, once (leptos's format): beside the
# release build's and the test build's, whichever serves this site.
for dir in "$target/release" "$target/debug"; do
  mkdir -p "$dir"
  printf 'js: %s\nwasm: %s\ncss: %s\n' "$hash" "$hash" "$hash" >"$dir/hash.txt"
done
say "built after $(elapsed): $site_root$([ "$site_only" = --site-only ] || echo ", $target/release/$name")"
