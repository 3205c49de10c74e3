#!/usr/bin/env bash
# Builds kaappi the way a packager does: CMAKE_BUILD_TYPE=Release with
# Debian's dpkg-buildflags (hardening, FORTIFY_SOURCE), warnings on but not
# errors, no tests; installed under /usr (cpack -G DEB there makes the
# Debian packages: scripts/package-test.sh).
# Usage: scripts/build-release.sh [BUILD_DIR] [--tests]
#   --tests   also build the tests (scripts/test.sh runs them on this build)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build-release testing=OFF
for arg in "$@"; do
  case "$arg" in
    --tests) testing=ON ;;
    -*) echo "build-release.sh: unknown option $arg" >&2; exit 2 ;;
    *) dir="$arg" ;;
  esac
done
eval "$(dpkg-buildflags --export=sh)"
export CXXFLAGS="$CXXFLAGS $CPPFLAGS"  # CMake does not read CPPFLAGS
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING="$testing" >/dev/null
cmake --build "$dir" -j "$(nproc)"
