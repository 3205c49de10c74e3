#!/usr/bin/env bash
# kaappi-scan benchmark: envelopes sealed per second for 2,000 small scans
# (one kaappi-scan call) and MB/s for one 300 MB scan, then kaappi ingest of
# the same, next to kaappi import of the same files.
# Usage: bench/scan.sh [--quick]   (--quick: 200 files, 60 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/setup.sh scanbench
big_mb=300; small_n=2000
if [ "${1:-}" = "--quick" ]; then big_mb=60; small_n=200; fi

k init --reuse-key >/dev/null
k customer add --number 1 --name Bench >/dev/null
k key public > "$work/archive.pub"
pk=$("$bin/kaappi-scan" init --station bench --json | sed -n 's/.*"public_key": "\(.*\)".*/\1/p')
k station add bench "$pk" >/dev/null
inbox="$work/archive/inbox"

mkdir -p "$work/small" "$work/small-copy"
for i in $(seq 1 "$small_n"); do "$bin/make_scan_pdf" "$work/small/s$i.pdf" --seed "$i"; done
cp "$work"/small/*.pdf "$work/small-copy/"
echo "--- ${small_n} small scans ($(( $(du -sb "$work/small" | cut -f1) / small_n )) bytes each)"
t0=$(now); "$bin/kaappi-scan" -q "$work"/small/*.pdf --public-key "$work/archive.pub" --inbox "$inbox"; t1=$(now)
echo "kaappi_scan_envelopes_per_s $(rate "$t0" "$t1" "$small_n")"
t0=$(now); k ingest --customer 1 >/dev/null; t1=$(now)
echo "kaappi_ingest_files_per_s $(rate "$t0" "$t1" "$small_n")"
k customer add --number 2 --name Bench2 >/dev/null
t0=$(now); k import "$work"/small-copy/*.pdf --customer 2 --kind other >/dev/null; t1=$(now)
echo "kaappi_import_files_per_s $(rate "$t0" "$t1" "$small_n") (same files, for comparison)"

echo "--- one large scan (${big_mb} MB)"
"$bin/make_scan_pdf" "$work/big.pdf" --pages 2 --size-mb "$big_mb"
cp "$work/big.pdf" "$work/big-copy.pdf"
mb=$(awk -v s="$(stat -c %s "$work/big.pdf")" 'BEGIN{print s/1e6}')
t0=$(now); "$bin/kaappi-scan" -q "$work/big.pdf" --public-key "$work/archive.pub" --inbox "$inbox"; t1=$(now)
echo "kaappi_scan_MBps $(rate "$t0" "$t1" "$mb")"
t0=$(now); k ingest --customer 1 >/dev/null; t1=$(now)
echo "kaappi_ingest_MBps $(rate "$t0" "$t1" "$mb") (copies and authenticates the blob, no re-encryption)"
t0=$(now); k import "$work/big-copy.pdf" --customer 2 --kind other >/dev/null; t1=$(now)
echo "kaappi_import_MBps $(rate "$t0" "$t1" "$mb") (same file, for comparison)"
