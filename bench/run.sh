#!/usr/bin/env bash
# kaappi benchmark, every figure next to its anchor in one run: import,
# verify --full and keyless verify of one 300 MB scanned PDF next to raw
# secretstream from file to file (bench/secretstream_file: encrypt with fsync,
# decrypt) and sha256sum of the blob; bulk import of 400 real-sized scans
# (image-only, a 300 dpi grey JPEG of ~380 KB as an office scanner makes;
# and the same number of ~420 KB lossless Flate ones) and of 2,000
# small ones next to `age` one process per file and `borg create` (repokey);
# peak memory of kaappi importing and getting 1 GB.
# Usage: bench/run.sh [--quick]   (--quick: 60 MB, 100 + 200 files, 200 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/setup.sh bench
big_mb=300; real_n=400; small_n=2000; huge_mb=1024
if [ "${1:-}" = "--quick" ]; then big_mb=60; real_n=100; small_n=200; huge_mb=200; fi

"$bin/secretstream_speed" 512 | tee "$work/raw"
raw=$(awk '/secretstream/{print $2}' "$work/raw")

k init --reuse-key >/dev/null
k customer add --number 1 --name Bench >/dev/null

echo "--- one large scan (${big_mb} MB)"
"$bin/make_scan_pdf" "$work/big.pdf" --pages 2 --size-mb "$big_mb"
size=$(stat -c %s "$work/big.pdf"); mb=$(awk -v s="$size" 'BEGIN{print s/1e6}')
cat "$work/big.pdf" > /dev/null
# Each whole command, and (KAAPPI_REPORT_TIMING) its part after the key is unlocked.
after_unlock() { awk -v mb="$1" '/time after unlock/ { printf "%.1f", mb / ($5 / 1000) }' "$work/timing"; }
t0=$(now); KAAPPI_REPORT_TIMING=1 k import "$work/big.pdf" --customer 1 --kind contract 2>"$work/timing" >/dev/null; t1=$(now)
echo "import_MBps $(rate "$t0" "$t1" "$mb")  (includes unlock ~0.1 s, PDF helper, fsync; after unlock $(after_unlock "$mb"))"
t0=$(now); KAAPPI_REPORT_TIMING=1 k verify --full 2>"$work/timing" >/dev/null; t1=$(now)
echo "verify_full_MBps $(rate "$t0" "$t1" "$mb")  (after unlock $(after_unlock "$mb"))"
t0=$(now); k verify >/dev/null; t1=$(now)
echo "verify_keyless_MBps $(rate "$t0" "$t1" "$mb")"
"${AGE:-age-keygen}" -o "$work/age.key" 2>/dev/null
recipient=$(age-keygen -y "$work/age.key")
t0=$(now); age -r "$recipient" -o "$work/big.age" "$work/big.pdf"; sync "$work/big.age"; t1=$(now)
echo "age_MBps $(rate "$t0" "$t1" "$mb")"
echo "raw_secretstream_MBps $raw (in memory)"
echo "raw_file_$("$bin/secretstream_file" encrypt "$work/big.pdf" "$work/big.raw") (file to file, fsync)"
echo "raw_file_$("$bin/secretstream_file" decrypt "$work/big.raw")"
rm -f "$work/big.raw" "$work/big.raw.key"
blobs=$(find "$KAAPPI_ARCHIVE/blobs" -type f -name '*.blob')
t0=$(now); sha256sum $blobs >/dev/null; t1=$(now)
echo "sha256sum_blob_MBps $(rate "$t0" "$t1" "$mb")"
# sha256sum is keyless verify's anchor (format 2's blob hash is SHA-256 by 1 MiB
# segments); b2sum, format 1's blob hash, for comparison.
t0=$(now); b2sum $blobs >/dev/null; t1=$(now)
echo "b2sum_blob_MBps $(rate "$t0" "$t1" "$mb")"

export BORG_PASSPHRASE=kaappi-bench BORG_BASE_DIR="$work/borg-base" BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes
# Bulk import of the scans in folder $2 (named $1 in the figures) next to age,
# one process per file, and borg create, on the same files.
bulk() {
  local name=$1 dir=$2
  total=$(du -sb "$dir" | awk '{print $1}')
  echo "average size $((total / real_n)) bytes"
  sync
  t0=$(now); k import "$dir"/*.pdf --customer 1 --kind consent-form >/dev/null; t1=$(now)
  echo "${name}_bulk_import_files_per_s $(rate "$t0" "$t1" "$real_n")"
  mkdir -p "$work/real-age"
  t0=$(now); for f in "$dir"/*.pdf; do age -r "$recipient" -o "$work/real-age/$(basename "$f").age" "$f"; done; sync; t1=$(now)
  echo "${name}_age_one_by_one_files_per_s $(rate "$t0" "$t1" "$real_n")"
  borg init --encryption repokey "$work/borg" >/dev/null 2>&1
  t0=$(now); (cd "$dir" && borg create "$work/borg::scans" .); sync; t1=$(now)
  echo "${name}_borg_create_files_per_s $(rate "$t0" "$t1" "$real_n") (repokey, default compression lz4)"
  rm -rf "$work/real-age" "$work/borg"
}

# An office scanner's 300 dpi grey page: a JPEG (DCTDecode) of 2481x3507.
echo "--- ${real_n} real-sized scans (image-only, 300 dpi grey JPEG, ~380 KB each)"
mkdir -p "$work/real"
for i in $(seq 1 "$real_n"); do
  "$bin/make_scan_pdf" "$work/page.pdf" --seed "$((i + 100000))" --pgm-300dpi "$work/page.pgm"
  cjpeg -grayscale -quality 80 "$work/page.pgm" > "$work/page.jpg"
  "$bin/make_scan_pdf" "$work/real/r$i.pdf" --seed "$((i + 100000))" --jpeg "$work/page.jpg"
done
rm -f "$work/page.pdf" "$work/page.pgm" "$work/page.jpg"
bulk real "$work/real"
rm -rf "$work/real"

# The same size as one lossless (FlateDecode) 100 dpi image: the PDF helper's
# bomb guard inflates every Flate stream, so this is its worst case.
echo "--- ${real_n} real-sized scans (image-only, lossless Flate, ~420 KB each)"
mkdir -p "$work/flate"
for i in $(seq 1 "$real_n"); do "$bin/make_scan_pdf" "$work/flate/f$i.pdf" --seed "$((i + 200000))" --photo-kb 400; done
bulk flate "$work/flate"
rm -rf "$work/flate"

echo "--- ${small_n} small scans"
mkdir -p "$work/small" "$work/small-age"
for i in $(seq 1 "$small_n"); do "$bin/make_scan_pdf" "$work/small/s$i.pdf" --seed "$i"; done
total=$(du -sb "$work/small" | awk '{print $1}')
echo "average size $((total / small_n)) bytes"
t0=$(now); k import "$work"/small/*.pdf --customer 1 --kind consent-form >/dev/null; t1=$(now)
echo "bulk_import_files_per_s $(rate "$t0" "$t1" "$small_n")"
t0=$(now); k verify --full >/dev/null; t1=$(now)
echo "verify_full_files_per_s $(rate "$t0" "$t1" "$((small_n + 2 * real_n + 1))") (all $((small_n + 2 * real_n + 1)) documents: the small, the real-sized and the large one)"
t0=$(now); for f in "$work"/small/*.pdf; do age -r "$recipient" -o "$work/small-age/$(basename "$f").age" "$f"; done; sync; t1=$(now)
echo "age_one_by_one_files_per_s $(rate "$t0" "$t1" "$small_n")"

echo "--- peak memory, ${huge_mb} MB document"
rm -f "$work/big.pdf" "$work/big.age"
"$bin/make_scan_pdf" "$work/huge.pdf" --pages 2 --size-mb "$huge_mb"
KAAPPI_REPORT_PEAK_RSS=1 k import "$work/huge.pdf" --customer 1 --kind other 2>&1 >/dev/null | grep peak | sed 's/^kaappi: /import: /'
id=$(k documents --json | awk -F': ' '/"id"/{gsub(",","",$2); id=$2} END{print id}')
KAAPPI_REPORT_PEAK_RSS=1 k get "$id" -o "$work/huge.out" --reason benchmark 2>&1 >/dev/null | grep peak | sed 's/^kaappi: /get: /'
cmp "$work/huge.pdf" "$work/huge.out" && echo "get: identical"
