#!/usr/bin/env bash
# Builds kaappi the way a packager does: CMAKE_BUILD_TYPE=Release with
# Debian's dpkg-buildflags (hardening, FORTIFY_SOURCE), warnings on but not
# errors, no tests. Usage: scripts/build-release.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-build-release}"
eval "$(dpkg-buildflags --export=sh)"
export CXXFLAGS="$CXXFLAGS $CPPFLAGS"  # CMake does not read CPPFLAGS
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$dir" -j "$(nproc)"
