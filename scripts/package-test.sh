#!/usr/bin/env bash
# Makes the Debian packages from a packager's build (cpack -G DEB, as
# cmake/packaging.cmake describes them) and checks them without installing
# anything into this machine:
#  - each package's name, version, section, maintainer, homepage and Depends
#    (dpkg-shlibdeps' libraries: only the ones its programs link; kaappi and
#    kaappi-scan need this version of kaappi-common);
#  - each package holds exactly the files tests/install/PACKAGE.files lists,
#    no file is in two packages, and `cmake --install` installs nothing else;
#  - the packaged kaappi-scan imports no libsodium opening function;
#  - unpacked together (dpkg -x) into a temp folder, with no KAAPPI_PDF_PROBE:
#    both programs' --version, the man pages, the completions, the systemd
#    units (systemd-analyze verify, where it exists; the watch's system-call
#    filter allows the PDF helper's calls), and an end to end run:
#    init with the example key, import, get back byte-identical, kaappi-scan
#    into an inbox, ingest, get back, verify and verify --full. The programs
#    find the PDF helper relative to themselves (bin/../lib/kaappi/).
# Any mismatch fails the script (exit 1).
# Usage: scripts/package-test.sh BUILD_DIR   (a scripts/build-release.sh build
#        with make_scan_pdf built: cmake --build BUILD_DIR --target make_scan_pdf)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
build=$(cd "${1:?usage: scripts/package-test.sh BUILD_DIR}" && pwd)
work=$(mktemp -d /tmp/kaappi-package-XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "package-test: FAIL: $*" >&2; failures=$((failures + 1)); }
die() { echo "package-test: FAIL: $*" >&2; exit 1; }
step() { echo "== package-test: $*"; }

version=$(sed -n 's/^project(kaappi VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
arch=$(dpkg --print-architecture)
packages=(kaappi-common kaappi kaappi-scan)
[ -x "$build/bin/make_scan_pdf" ] || die "$build/bin/make_scan_pdf is missing: cmake --build $build --target make_scan_pdf"

step "cpack -G DEB ($build, version $version)"
(cd "$build" && cpack -G DEB -B "$work/debs") >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log" >&2; die "cpack failed"; }
deb_of() { echo "$work/debs/$1_${version}_$arch.deb"; }

# Depends: the package names, one a line.
depends_names() { dpkg-deb -f "$1" Depends | tr ',|' '\n\n' | awk 'NF {print $1}' | sort -u; }
# $1 deb, $2 "required" or "forbidden", then package names.
check_depends() {
  local deb=$1 kind=$2 name
  shift 2
  local have
  have=$(depends_names "$deb")
  for name in "$@"; do
    if grep -qxF "$name" <<<"$have"; then
      [ "$kind" = forbidden ] && fail "$(basename "$deb") depends on $name, which none of its programs needs"
    else
      [ "$kind" = required ] && fail "$(basename "$deb") does not depend on $name (Depends: $(dpkg-deb -f "$deb" Depends))"
    fi
  done
  return 0
}

step "control fields and dependencies"
for p in "${packages[@]}"; do
  deb=$(deb_of "$p")
  [ -f "$deb" ] || die "cpack made no $(basename "$deb") (made: $(ls "$work/debs"))"
  dpkg-deb -I "$deb" >/dev/null || die "dpkg-deb -I cannot read $deb"
  [ "$(dpkg-deb -f "$deb" Package)" = "$p" ] || fail "$deb: Package is $(dpkg-deb -f "$deb" Package)"
  [ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "$p: Version is $(dpkg-deb -f "$deb" Version), not $version"
  [ "$(dpkg-deb -f "$deb" Section)" = utils ] || fail "$p: Section is not utils"
  [ "$(dpkg-deb -f "$deb" Architecture)" = "$arch" ] || fail "$p: Architecture is not $arch"
  for field in Maintainer Homepage Description; do
    [ -n "$(dpkg-deb -f "$deb" "$field")" ] || fail "$p: no $field"
  done
  echo "   $p: Depends: $(dpkg-deb -f "$deb" Depends)"
done
common=$(deb_of kaappi-common)
check_depends "$common" required libc6 libpoppler-cpp0v5 libpoppler126 libjpeg62-turbo libseccomp2 libzxing2
check_depends "$common" forbidden libsodium23 libsqlite3-0 libqrencode4 kaappi kaappi-scan
check_depends "$(deb_of kaappi)" required kaappi-common libc6 libsodium23 libsqlite3-0 libssl3 libcairo2 libpangocairo-1.0-0 libqrencode4 fonts-dejavu-core
check_depends "$(deb_of kaappi)" forbidden libpoppler-cpp0v5 libpoppler126 libjpeg62-turbo libseccomp2 libzxing2 kaappi-scan
check_depends "$(deb_of kaappi-scan)" required kaappi-common libc6 libsodium23
check_depends "$(deb_of kaappi-scan)" forbidden libpoppler-cpp0v5 libpoppler126 libjpeg62-turbo libseccomp2 libsqlite3-0 libcairo2 libqrencode4 libzxing2 kaappi
for p in kaappi kaappi-scan; do
  dpkg-deb -f "$(deb_of "$p")" Depends | grep -qF "kaappi-common (= $version)" ||
    fail "$p does not depend on kaappi-common (= $version)"
done

step "files: each package holds exactly tests/install/PACKAGE.files"
# The files (not folders) of a package, one path a line, sorted.
files_of() { dpkg-deb -c "$1" | awk '$1 !~ /^d/ {print $6}' | sed 's|^\./|/|' | sort; }
for p in "${packages[@]}"; do
  files_of "$(deb_of "$p")" >"$work/$p.files"
  sort "tests/install/$p.files" >"$work/$p.expected"
  if ! diff -u "$work/$p.expected" "$work/$p.files" >"$work/$p.diff"; then
    fail "$p holds other files than tests/install/$p.files lists (+ packaged, - expected):"
    sed -n '3,$p' "$work/$p.diff" | grep '^[-+]' >&2
  fi
done
twice=$(cat "$work"/*.files | sort | uniq -d)
[ -z "$twice" ] || fail "in two packages: $twice"
# Everything `cmake --install` installs is in a package (an install rule
# without a packaged component would be left out silently).
DESTDIR="$work/staging" cmake --install "$build" >/dev/null
(cd "$work/staging" && find . ! -type d | sed 's|^\./|/|' | sort) >"$work/installed"
cat "$work"/kaappi*.files | sort >"$work/packaged"
if ! diff -u "$work/packaged" "$work/installed" >"$work/install.diff"; then
  fail "cmake --install installs other files than the packages hold (+ installed, - packaged):"
  sed -n '3,$p' "$work/install.diff" | grep '^[-+]' >&2
fi

root="$work/root"
step "dpkg -x into $root"
for p in "${packages[@]}"; do dpkg -x "$(deb_of "$p")" "$root"; done
unset KAAPPI_PDF_PROBE KAAPPI_ARCHIVE KAAPPI_KEY KAAPPI_PASSPHRASE_FILE KAAPPI_PASSPHRASE_COMMAND KAAPPI_INBOX KAAPPI_PUBLIC_KEY
bin="$root/usr/bin"
[ -x "$root/usr/lib/kaappi/kaappi-pdf-probe" ] || fail "no executable /usr/lib/kaappi/kaappi-pdf-probe"

step "kaappi-scan imports no opening function"
nm -D --undefined-only "$bin/kaappi-scan" >"$work/scan.nm"
grep -q crypto_box_seal "$work/scan.nm" || fail "nm shows no crypto_box_seal in kaappi-scan: the check reads nothing"
for opener in crypto_box_seal_open crypto_box_open crypto_secretstream_xchacha20poly1305_pull \
  crypto_aead_xchacha20poly1305_ietf_decrypt crypto_pwhash sqlite3_open; do
  grep -q "$opener" "$work/scan.nm" && fail "the packaged kaappi-scan imports $opener"
done

step "--version, man pages, completions"
"$bin/kaappi" --version | grep -qF "$version" || fail "kaappi --version does not say $version"
"$bin/kaappi-scan" --version | grep -qF "$version" || fail "kaappi-scan --version does not say $version"
for page in kaappi kaappi-scan; do
  file="$root/usr/share/man/man1/$page.1.gz"
  text=$(MANPAGER=cat MANWIDTH=80 man -l "$file" 2>&1) || fail "man -l $file failed"
  grep -q '^NAME' <<<"$text" && grep -qE "^ *$page +- " <<<"$text" || fail "man -l $file shows no NAME for $page"
  grep -qi 'warning' <<<"$text" && fail "man -l $file warns: $(grep -i warning <<<"$text")"
done
for program in kaappi kaappi-scan; do
  bash -c "source '$root/usr/share/bash-completion/completions/$program' && complete -p $program" >/dev/null ||
    fail "the completion for $program does not load"
done

step "systemd units"
grep -qx 'ExecStart=/usr/bin/kaappi-scan watch %f' "$root/usr/lib/systemd/system/kaappi-scan-watch@.service" ||
  fail "kaappi-scan-watch@.service does not run /usr/bin/kaappi-scan watch %f"
grep -qx 'ExecStart=/usr/bin/kaappi agent' "$root/usr/lib/systemd/user/kaappi-agent.service" ||
  fail "kaappi-agent.service does not run /usr/bin/kaappi agent"
grep -q '^ExecStart=/usr/bin/kaappi verify' "$root/usr/lib/systemd/user/kaappi-verify.service" ||
  fail "kaappi-verify.service does not run /usr/bin/kaappi verify"
grep -q '^ExecStart=/usr/bin/kaappi backup' "$root/usr/lib/systemd/user/kaappi-backup.service" ||
  fail "kaappi-backup.service does not run /usr/bin/kaappi backup"
grep -qx 'ExecStart=/usr/bin/kaappi-scan watch' "$root/usr/lib/systemd/system/kaappi-scan-watch.service" ||
  fail "kaappi-scan-watch.service does not run /usr/bin/kaappi-scan watch (its folder from the settings file)"
if command -v systemd-analyze >/dev/null; then
  bash tests/install/check_syscall_filter.sh "$root/usr/lib/systemd/system/kaappi-scan-watch@.service" \
    src/pdf/helper/sandbox.cpp >/dev/null || fail "kaappi-scan-watch@.service's SystemCallFilter= would stop the PDF helper"
  # The units as packaged, their programs and man pages those unpacked here.
  mkdir -p "$work/units" "$work/runtime"
  chmod 700 "$work/runtime"
  for unit in "$root"/usr/lib/systemd/system/* "$root"/usr/lib/systemd/user/*; do
    sed "s|=/usr/bin/|=$bin/|" "$unit" >"$work/units/$(basename "$unit")"
  done
  mv "$work/units/kaappi-scan-watch@.service" "$work/units/kaappi-scan-watch@srv-scans.service"
  out=$(MANPATH="$root/usr/share/man" systemd-analyze verify "$work/units/kaappi-scan-watch@srv-scans.service" 2>&1) &&
    [ -z "$out" ] || fail "systemd-analyze verify kaappi-scan-watch@.service: $out"
  out=$(MANPATH="$root/usr/share/man" systemd-analyze verify "$work/units/kaappi-scan-watch.service" 2>&1) &&
    [ -z "$out" ] || fail "systemd-analyze verify kaappi-scan-watch.service: $out"
  out=$(cd "$work/units" && XDG_RUNTIME_DIR="$work/runtime" MANPATH="$root/usr/share/man" systemd-analyze --user verify \
    kaappi-agent.socket kaappi-agent.service kaappi-verify.service kaappi-verify.timer \
    kaappi-backup.service kaappi-backup.timer 2>&1) &&
    [ -z "$out" ] || fail "systemd-analyze --user verify (agent, verify, backup units): $out"
else
  echo "   (no systemd-analyze here: the units were not verified)"
fi

step "end to end with the unpacked programs (helper found relative to them)"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/config" XDG_DATA_HOME="$work/home/data" XDG_STATE_HOME="$work/home/state"
mkdir -p "$HOME" "$work/inbox"
export KAAPPI_ARCHIVE="$work/archive" KAAPPI_KEY="$work/example.key"
cp keys.example "$KAAPPI_KEY"
chmod 600 "$KAAPPI_KEY"
printf 'kaappi-example-passphrase\n' >"$work/passphrase"
chmod 600 "$work/passphrase"
export KAAPPI_PASSPHRASE_FILE="$work/passphrase"
log="$work/e2e.log"
run() {
  local status=0
  "$@" 2>>"$log" || status=$?
  [ "$status" -eq 0 ] || { cat "$log" >&2; die "'$(basename "$1") ${*:2}' exited $status"; }
}
kaappi() { run "$bin/kaappi" "$@"; }
"$build/bin/make_scan_pdf" "$work/form.pdf" --form consent --pages 1 --ticks 0x4b --seed 7 >/dev/null
"$build/bin/make_scan_pdf" "$work/scan.pdf" --form contract --pages 2 --seed 8 >/dev/null
cp "$work/scan.pdf" "$work/scan.orig.pdf"
kaappi init --reuse-key >/dev/null
kaappi customer add --number 1001 --name "Oy Esimerkki Ab" >/dev/null
form_id=$(kaappi import "$work/form.pdf" --customer 1001 --kind consent-form --json | sed -n 's/.*"document": \([0-9]*\).*/\1/p')
[ -n "$form_id" ] || die "import printed no document id"
kaappi get "$form_id" -o "$work/form.back.pdf" --reason "package test" >/dev/null
cmp -s "$work/form.pdf" "$work/form.back.pdf" || fail "the imported PDF came back different"
kaappi key public >"$work/archive.pub"
station_key=$(run "$bin/kaappi-scan" init --station package-test | grep -o 'kaappi-spk1:[A-Za-z0-9+/=_-]*' | head -1)
[ -n "$station_key" ] || die "kaappi-scan init printed no kaappi-spk1: key"
kaappi station add package-test "$station_key" >/dev/null
run "$bin/kaappi-scan" "$work/scan.pdf" --public-key "$work/archive.pub" --inbox "$work/inbox" >/dev/null
[ ! -e "$work/scan.pdf" ] || fail "kaappi-scan left the sealed scan's plaintext"
kaappi ingest --inbox "$work/inbox" --customer 1001 --kind contract >/dev/null
scan_id=$(kaappi documents --customer 1001 --json | grep -o '"id": [0-9]*' | awk '{print $2}' | sort -n | tail -1)
[ -n "$scan_id" ] && [ "$scan_id" != "$form_id" ] || die "ingest took in no document (documents: $scan_id)"
kaappi get "$scan_id" -o "$work/scan.back.pdf" --reason "package test" >/dev/null
cmp -s "$work/scan.orig.pdf" "$work/scan.back.pdf" || fail "the scan sealed by kaappi-scan came back different"
(unset KAAPPI_PASSPHRASE_FILE && run "$bin/kaappi" verify --public-key "$work/archive.pub" >/dev/null)
kaappi verify --full >/dev/null

if [ "$failures" -gt 0 ]; then
  echo "package-test: $failures problems" >&2
  exit 1
fi
echo "package-test: ok: $(cd "$work/debs" && ls ./*.deb | sed 's|^\./||' | tr '\n' ' ')"
