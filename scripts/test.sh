#!/usr/bin/env bash
# The test command: installs the Debian packages, then builds kaappi twice and
# runs every test (unit and end-to-end, through CTest) in both builds:
#  1. as a packager builds it (Release, Debian's dpkg-buildflags), here with
#     warnings as errors, so a packager's build is known to succeed;
#  2. under AddressSanitizer + UndefinedBehaviorSanitizer (the asan preset,
#     warnings as errors).
# The developer preset (default) is the same code with debug info; CI does not
# build it a third time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
echo "== build (Release with dpkg-buildflags, warnings are errors)"
bash scripts/build-release.sh build-release --tests --werror
echo "== test (Release)"
ctest --test-dir build-release --output-on-failure -j "$(nproc)"
echo "== build (asan)"
bash scripts/build.sh asan
echo "== test (asan)"
ctest --preset asan -j "$(nproc)"
