#!/usr/bin/env bash
# Supply-chain checks with cargo-deny (rules in deny.toml): licences, bans and sources always.
# Advisories need the RustSec database, a git repository that a machine reaching only the package
# registries cannot fetch: they are checked from a local copy when one exists, and the run
# says plainly when they were not.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo deny --locked check licenses bans sources

# cargo-deny's own place for it (deny.toml does not move it).
db=${CARGO_HOME:-$HOME/.cargo}/advisory-dbs
if compgen -G "$db/*/crates" > /dev/null; then
  for copy in "$db"/*/; do
    echo "==> advisories from the local RustSec database in $copy ($(git -C "$copy" log -1 --format='%h of %cs'))"
  done
  cargo deny --locked --offline check advisories
else
  echo "==> advisories NOT CHECKED: no local copy of the RustSec advisory database under $db"
  echo "    (a clone of https://github.com/rustsec/advisory-db there is checked without fetching)"
fi
