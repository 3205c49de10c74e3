#!/usr/bin/env bash
# The test command: installs the Debian packages, builds kaappi normally and
# under AddressSanitizer + UndefinedBehaviorSanitizer, and runs every test
# (unit and end-to-end, through CTest) in both builds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
for preset in default asan; do
  echo "== build ($preset)"
  bash scripts/build.sh "$preset"
  echo "== test ($preset)"
  ctest --preset "$preset" -j "$(nproc)"
done
