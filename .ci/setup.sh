#!/usr/bin/env bash
# Installs what building and testing OneStop needs, skipping whatever is already present.
#   .ci/setup.sh build   toolchain pieces and the documents' font for `make run`
#   .ci/setup.sh test    the same, plus Chromium, pdftotext and the browser-test npm packages
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
mode=${1:-build}
say() { printf '==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  if ! rustup target add wasm32-unknown-unknown; then
    echo "ERROR: could not install the Rust target wasm32-unknown-unknown with rustup." >&2
    echo "The browser part of the portal cannot be built without it; stopping." >&2
    exit 1
  fi
fi

# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly.
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (one time)"
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# cargo-deny for the supply-chain checks in `make test` (.ci/deny.sh).
CARGO_DENY_VERSION=0.20.2
if [ "$mode" = test ] && [ "$(cargo deny --version 2>/dev/null | awk '{print $2}')" != "$CARGO_DENY_VERSION" ]; then
  say "installing cargo-deny $CARGO_DENY_VERSION (one time)"
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-deny --locked --version "$CARGO_DENY_VERSION"
fi

# s3s-fs, an S3-compatible server over a directory: the shared bucket of the two-instance test
# (server/tests/it/scale_out.rs).
S3S_FS_VERSION=0.14.1
if [ "$mode" = test ] && [ "$(s3s-fs --version 2>/dev/null | awk '{print $2}')" != "$S3S_FS_VERSION" ]; then
  say "installing s3s-fs $S3S_FS_VERSION (one time)"
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install s3s-fs --locked --features binary --version "$S3S_FS_VERSION"
fi

# npm packages: a current wasm-opt (binaryen) for release builds, and the browser-test tools.
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package.json -nt end2end/node_modules/.installed ]; then
  say "installing npm packages in end2end/"
  (cd end2end && npm install --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
fi

# Debian packages: the CJK font the server embeds (a subset of) in the documents it issues
# (ONESTOP_DOCUMENT_FONT); for tests Chromium and pdftotext (poppler-utils). One apt run for
# whatever is missing, none when everything is present. sqlmap probes the running portal for SQL
# injection at the end of the browser tests; nginx balances the two-instance test's portals.
packages=()
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || packages+=(fonts-wqy-microhei)
if [ "$mode" = test ]; then
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  [ -x /usr/bin/pdftotext ] || packages+=(poppler-utils)
  [ -x /usr/bin/sqlmap ] || packages+=(sqlmap)
  [ -x /usr/sbin/nginx ] || packages+=(nginx)
fi
if [ ${#packages[@]} -gt 0 ]; then
  say "installing ${packages[*]} (Debian packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi
