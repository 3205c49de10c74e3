#!/usr/bin/env bash
# bench/backup.sh — the speed of kaappi backup, verify-backup and restore
# (issue 11), next to their anchors in the same run: `cp -a` of the archive
# folder then `sync`, `rclone copy` to a local remote, and `sha256sum` of
# every blob file. An archive of 400 lossless 400 KB scans and one 300 MB
# scan (~470 MB); every destination on the same disk as the archive, the page
# cache warm (each step reads what the one before wrote): the figures are
# of kaappi's own work and the disk's writes, not of a USB stick.
#   bash bench/backup.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/setup.sh backup
n=400 big_mb=300
if [ "${1:-}" = "--quick" ]; then n=40 big_mb=30; fi
peak() { /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null; awk '{printf "%.0f", $1 / 1024}' "$work/rss"; }

echo "making $n scans of ~420 KB and one of $big_mb MB ..."
mkdir -p "$work/scans"
for i in $(seq 1 "$n"); do "$bin/make_scan_pdf" "$work/scans/s$i.pdf" --seed "$((i + 300000))" --photo-kb 400; done
"$bin/make_scan_pdf" "$work/scans/big.pdf" --pages 2 --size-mb "$big_mb"
k init --kdf interactive --reuse-key >/dev/null
k customer add --number 1 --name "Bench Oy" >/dev/null
k import "$work/scans"/*.pdf --customer 1 --kind other >/dev/null
k verify >/dev/null
mb=$(du -sm --apparent-size "$KAAPPI_ARCHIVE" | cut -f1)
files=$(find "$KAAPPI_ARCHIVE/blobs" -type f | wc -l)
echo "archive: $files blobs, $mb MB"
sync

t0=$(now); cp -a "$KAAPPI_ARCHIVE" "$work/cp-copy"; sync; t1=$(now)
cp_s=$(secs "$t0" "$t1")
printf '[anchor]\ntype = local\n' > "$work/rclone.conf"
export RCLONE_CONFIG="$work/rclone.conf"
t0=$(now); rclone copy "$KAAPPI_ARCHIVE" "anchor:$work/rclone-copy"; sync; t1=$(now)
rclone_s=$(secs "$t0" "$t1")
t0=$(now); find "$KAAPPI_ARCHIVE/blobs" -type f -exec sha256sum {} + >/dev/null; t1=$(now)
sha_s=$(secs "$t0" "$t1")

t0=$(now); backup_rss=$(peak "$bin/kaappi" -q backup "$work/dest"); t1=$(now)
backup_s=$(secs "$t0" "$t1")
k customer add --number 2 --name "Toinen Oy" >/dev/null
k import "$work/scans/s1.pdf" --customer 2 --kind other >/dev/null
t0=$(now); k backup "$work/dest" >/dev/null; t1=$(now)
incr_s=$(secs "$t0" "$t1")
t0=$(now); verify_rss=$(peak "$bin/kaappi" -q verify-backup "$work/dest"); t1=$(now)
verify_s=$(secs "$t0" "$t1")
t0=$(now); k verify-backup "$work/dest" --sample 10 >/dev/null; t1=$(now)
sample_s=$(secs "$t0" "$t1")
t0=$(now); restore_rss=$(peak "$bin/kaappi" -q restore "$work/dest" --to "$work/restored"); t1=$(now)
restore_s=$(secs "$t0" "$t1")
t0=$(now); k backup "rclone:anchor:$work/remote" >/dev/null; t1=$(now)
rclone_backup_s=$(secs "$t0" "$t1")
t0=$(now); k verify-backup "rclone:anchor:$work/remote" >/dev/null; t1=$(now)
rclone_verify_s=$(secs "$t0" "$t1")

mbps() { awk -v m="$mb" -v s="$1" 'BEGIN { printf "%.0f", m / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }
echo
echo "| what ($(date -u +%H:%M) UTC, $files blobs, $mb MB) | kaappi | anchor | ratio (anchor time / kaappi time) |"
echo "|---|---:|---:|---:|"
echo "| first backup to a folder / \`cp -a\` + \`sync\` | $backup_s s ($(mbps "$backup_s") MB/s) | $cp_s s | $(ratio "$backup_s" "$cp_s")× |"
echo "| the next backup, one new scan | $incr_s s | | |"
echo "| first backup to an rclone local remote / \`rclone copy\` + \`sync\` | $rclone_backup_s s | $rclone_s s | $(ratio "$rclone_backup_s" "$rclone_s")× |"
echo "| \`verify-backup\` (every blob hashed) / \`sha256sum\` of every blob | $verify_s s ($(mbps "$verify_s") MB/s) | $sha_s s | $(ratio "$verify_s" "$sha_s")× |"
echo "| \`verify-backup --sample 10\` | $sample_s s | | |"
echo "| \`verify-backup\` of the rclone remote | $rclone_verify_s s | | |"
echo "| \`restore\` (every blob checked, then verified) / \`cp -a\` + \`sync\` | $restore_s s ($(mbps "$restore_s") MB/s) | $cp_s s | $(ratio "$restore_s" "$cp_s")× |"
echo "| peak RSS: backup / verify-backup / restore | $backup_rss / $verify_rss / $restore_rss MiB | | |"
