#!/usr/bin/env bash
# The test command: installs the Debian packages, then builds kaappi twice and
# runs every test (unit and end-to-end, through CTest) in both builds:
#  1. as a packager builds it (Release, Debian's dpkg-buildflags; warnings are
#     shown, not errors), so the packager's build is the one tested;
#  2. under AddressSanitizer + UndefinedBehaviorSanitizer (the asan preset,
#     warnings as errors).
# The developer preset (default) is the same code with debug info; CI does not
# build it a third time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
echo "== build (Release with dpkg-buildflags, as packagers build it)"
bash scripts/build-release.sh build-release --tests
echo "== test (Release)"
ctest --test-dir build-release --output-on-failure -j "$(nproc)"
echo "== build (asan)"
bash scripts/build.sh asan
echo "== test (asan)"
ctest --preset asan -j "$(nproc)"
