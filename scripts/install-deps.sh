#!/usr/bin/env bash
# Installs the Debian 12 packages kaappi needs to build, test, demo and
# benchmark. Run as root (or it uses sudo). Safe to run again.
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libsodium-dev libsqlite3-dev libpoppler-cpp-dev libseccomp-dev zlib1g-dev
  libpoppler-private-dev  # Poppler's core: the PDF helper reads a scanned page's image without rendering it
  libcli11-dev nlohmann-json3-dev catch2
  libssl-dev    # libcrypto: SHA-256 only (base/sha256.h)
  libcairo2-dev libpango1.0-dev fonts-dejavu-core  # the inspection report and printed forms (export/pdf_drawing.h)
  libqrencode-dev libzxing-dev  # printed forms' QR codes, and the PDF helper's form reader
  qpdf          # tests: makes password-protected PDFs
  age           # bench: the comparison encryptor
  borgbackup    # bench: the comparison archiver (borg create)
  libjpeg-dev   # the PDF helper decodes scanned JPEG pages at a reduced scale; tests/tools/scan_form writes JPEG scans
  libjpeg-turbo-progs  # bench: cjpeg makes the scanner-like 300 dpi JPEG pages
  poppler-utils # demo: shows the retrieved PDF's page count
  clang libclang-rt-14-dev  # the asan preset, fuzz/: clang and its libFuzzer (scripts/fuzz.sh)
  groff-base man-db  # tests: the man pages render without warnings; the package test reads them (man -l)
  dpkg-dev      # cpack -G DEB: dpkg-shlibdeps finds the packages' library dependencies (scripts/package-test.sh)
  systemd       # the package test: systemd-analyze verify on the units (nothing is started)
  rclone        # kaappi backup to an rclone remote (rclone:REMOTE:PATH); the tests use a remote of type local
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
