#!/usr/bin/env bash
# The PDF helper's form reader (src/pdf/helper/form_reader.h): ms per page
# of the QR search on scanner-like pages without a form (300 dpi grey JPEG,
# as an office scanner makes; and make_scan_pdf's 100 dpi Flate pages), and
# ms per page of reading a form's page (printed by kaappi form print, and the
# same rasterized at 300 dpi into a JPEG scan). Each figure is the helper's
# CPU time on N pages (`kaappi-pdf-probe < FILE.pdf`, best of 3) minus its time
# with the search switched off (KAAPPI_FAULT=pdf.form.search_budget:error@1,
# the budget spent before page 1), divided by N.
# Usage: bench/form_search.sh [--quick]   (--quick: 20 pages instead of 100)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/setup.sh formbench
n=100
if [ "${1:-}" = "--quick" ]; then n=20; fi

k init --reuse-key >/dev/null
k customer add --number 1 --name Bench >/dev/null
# A PDF of N pages, each page of $1 (qpdf repeats its pages).
repeat() {
  local pages; pages=$(qpdf --show-npages "$1")
  local list=""; for _ in $(seq 1 $(( n / pages ))); do list="$list,1-$pages"; done
  qpdf --empty --pages "$1" "${list#,}" -- "$2"
}
# Best of 3 CPU seconds (user + system) of the helper on $1 (with environment $2...):
# CPU time, so that other work on the machine does not count.
helper_secs() {
  local pdf=$1; shift; local best=""
  for _ in 1 2 3; do
    env "$@" /usr/bin/time -f '%U %S' -o "$work/time" "$bin/kaappi-pdf-probe" < "$pdf" > /dev/null
    local s; s=$(awk '{ printf "%.3f", $1 + $2 }' "$work/time")
    best=$(awk -v a="$best" -v b="$s" 'BEGIN { print (a == "" || b < a) ? b : a }')
  done
  echo "$best"
}
per_page() {  # $1 name, $2 PDF of n pages
  local on off
  on=$(helper_secs "$2" KAAPPI_FAULT=)
  off=$(helper_secs "$2" KAAPPI_FAULT=pdf.form.search_budget:error@1)
  echo "$1 $(awk -v a="$on" -v b="$off" -v n="$n" 'BEGIN { printf "%.1f", (a - b) * 1000 / n }') ms/page" \
       "CPU (helper $on s with the search, $off s without, $n pages)"
}

"$bin/make_scan_pdf" "$work/x" --pgm-300dpi "$work/p.pgm"
cjpeg -grayscale -quality 80 "$work/p.pgm" > "$work/p.jpg"
"$bin/make_scan_pdf" "$work/jpeg1.pdf" --jpeg "$work/p.jpg"
repeat "$work/jpeg1.pdf" "$work/jpeg.pdf"
"$bin/make_scan_pdf" "$work/flate.pdf" --pages "$n"
KAAPPI_REGISTER_TEXTS=docs/register-texts.example k form print --customer 1 -o "$work/form.pdf"
repeat "$work/form.pdf" "$work/forms.pdf"
pdftoppm -gray -r 300 -f 1 -l 1 -singlefile "$work/form.pdf" "$work/f"
cjpeg -grayscale -quality 80 "$work/f.pgm" > "$work/f.jpg"
"$bin/make_scan_pdf" "$work/fscan1.pdf" --jpeg "$work/f.jpg"
repeat "$work/fscan1.pdf" "$work/fscan.pdf"

echo "--- the QR search on pages without a form"
per_page form_search_jpeg300 "$work/jpeg.pdf"
per_page form_search_flate100 "$work/flate.pdf"
echo "--- reading forms' pages (search, 200 dpi render, marks, crops)"
per_page form_read_printed "$work/forms.pdf"
per_page form_read_jpeg300 "$work/fscan.pdf"
