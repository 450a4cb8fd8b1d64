#!/usr/bin/env bash
# Keeps the shared build cache bounded. Every CI run builds from a new clone, so the workspace's
# own crates (not the dependencies) are rebuilt under new hashes each time and the old copies,
# over a gigabyte each for the test binaries, would pile up. Keep the two newest of each.
set -euo pipefail
target=${CARGO_TARGET_DIR:?}
for profile in debug release; do
  deps="$target/$profile/deps"
  [ -d "$deps" ] || continue
  for family in it- onestop- app- libapp- onestop_server- libonestop_server-; do
    # Newest first; everything after the second artifact set goes.
    # (grep finds nothing when a profile has no such artifact yet: not an error.)
    ls -t "$deps" | { grep "^$family[0-9a-f]\{16\}" || true; } | awk -F. '{print $1}' | awk '!seen[$0]++' | tail -n +3 |
      while read -r stem; do rm -f "$deps/$stem" "$deps/$stem".*; done
  done
done
