#!/usr/bin/env bash
# The test command: installs the Debian packages, then
#  1. builds the asan preset (clang, AddressSanitizer + UndefinedBehaviorSanitizer,
#     warnings are errors, with the libFuzzer targets scripts/fuzz.sh runs) and
#     runs every test through CTest in it: unit and end-to-end tests, and every
#     fuzz target's kept inputs replayed;
#  2. builds kaappi as a packager does (scripts/build-release.sh: Release with
#     Debian's dpkg-buildflags, warnings shown, not errors) and runs the demo
#     (scripts/demo.sh) on those binaries: import, get, verify and a caught
#     tampering, end to end on the packager's build;
#  3. makes the Debian packages from that build (cpack -G DEB) and checks
#     them unpacked, without installing (scripts/package-test.sh).
# The developer preset (default) is the same code with debug info and no
# sanitizers; `ctest --preset default` runs the same tests in it.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp() { echo "== $* ($(date -u +%T), ${SECONDS}s since start)"; }
bash scripts/install-deps.sh
stamp "build (asan)"
bash scripts/build.sh asan
stamp "test (asan: every unit, end-to-end and fuzz-corpus test)"
ctest --preset asan -j "$(nproc)"
stamp "build (Release with dpkg-buildflags, as packagers build it)"
bash scripts/build-release.sh build-release
cmake --build build-release --target make_scan_pdf scan_form -j "$(nproc)"
stamp "demo on the packager's build"
bash scripts/demo.sh --build-dir build-release
stamp "Debian packages from the packager's build (cpack -G DEB, checked unpacked)"
bash scripts/package-test.sh build-release
stamp "test command done"
