#!/usr/bin/env bash
# Writes the seed corpora in fuzz/corpus/ (one folder per target) with the
# library's own writers and the fixed keys of fuzz/support.cpp. Run it after
# a format changes, then commit the seeds (they are small).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target fuzz_make_seeds
build-fuzz/fuzz/fuzz_make_seeds fuzz/corpus keys.example
