#!/usr/bin/env bash
# The paper loop's accuracy, measured on a fixed simulated set (issue 13,
# "Accuracy, measured honestly"): forms printed by `kaappi form print` for
# one customer each, page 1 (the boxes' page) filled in and scanned by
# tests/tools/scan_form, imported with `kaappi import --json` (one batch per
# degradation, timed), read back with `kaappi review --all --json` (timed),
# and compared with scan_form's truth files by bench/omr/report.cpp.
#
# The make-up is fixed: scan i has degradation i mod 10 (each equally often)
# with its parameters picked from j = i div 10; box b of scan i gets the mark
# kind (9 i + b) mod 7 of tick x empty filled crossed light dot, so each kind
# is equally frequent overall, per degradation and per box. 350 scans
# (3,150 boxes; 45 of each kind per degradation); --quick: 70 (630 boxes).
# Scans are made $KAAPPI_BENCH_JOBS at a time (default 2); that part is not
# timed. Usage: bench/omr/run.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/setup.sh omrbench
source bench/register_csv.sh
n=350
if [ "${1:-}" = "--quick" ]; then n=70; fi
jobs=${KAAPPI_BENCH_JOBS:-2}
export KAAPPI_REGISTER_TEXTS=$(pwd)/docs/register-texts.example

k init --reuse-key >/dev/null
customers_csv "$n" "$work/customers.csv"  # customers C100000...
k customer import "$work/customers.csv" >/dev/null

# One form per customer, 50 to a print call; page 1 of each as its own PDF.
mkdir -p "$work/forms" "$work/scans" "$work/truth" "$work/import"
t0=$(now)
for first in $(seq 0 50 $(( n - 1 ))); do
  last=$(( first + 49 < n - 1 ? first + 49 : n - 1 ))
  args=(); for i in $(seq "$first" "$last"); do args+=(--customer "C$(( 100000 + i ))"); done
  k form print "${args[@]}" -o "$work/forms/print-$first.pdf" >/dev/null
  pages=$(qpdf --show-npages "$work/forms/print-$first.pdf"); per=$(( pages / (last - first + 1) ))
  [ $(( per * (last - first + 1) )) -eq "$pages" ] || { echo "form print: $pages pages for $(( last - first + 1 )) forms" >&2; exit 1; }
  for i in $(seq "$first" "$last"); do
    qpdf --empty --pages "$work/forms/print-$first.pdf" $(( (i - first) * per + 1 )) -- "$work/forms/form-$i.pdf"
  done
done
t1=$(now)
echo "printed $n forms ($per pages each) in $(secs "$t0" "$t1") s; page 1 of each is scanned"

# The form's purposes, in the truth file's order.
"$bin/scan_form" "$work/forms/form-0.pdf" "$work/probe.pdf" --truth "$work/probe.json"
purposes=($(sed -n 's/.*"purpose": "\([^"]*\)".*/\1/p' "$work/probe.json"))
[ "${#purposes[@]}" -eq 9 ] || { echo "expected 9 boxes, found ${#purposes[@]}" >&2; exit 1; }
kinds=(tick x empty filled crossed light dot)
names=(clean-300dpi 200dpi 150dpi skew-scale turn blur-noise jpeg fax-fine fax-standard photocopy-2)

# Degradation i mod 10, its parameters from j = i div 10 (deterministic).
degradation() {
  local i=$1 j=$(( $1 / 10 ))
  case $(( i % 10 )) in
    0) echo "--dpi 300" ;;
    1) echo "--dpi 200" ;;
    2) echo "--dpi 150" ;;
    3) echo "--dpi 200 --skew $(awk -v j="$j" 'BEGIN { printf "%.1f", ((j * 37) % 101) / 10 - 5 }')" \
            "--scale $(awk -v j="$j" 'BEGIN { printf "%.3f", 0.94 + ((j * 13) % 7) / 100 }')" \
            "--shift $(( j % 5 - 2 )),$(( (j * 3) % 5 - 2 ))" ;;
    4) echo "--dpi 200 --turn $(( (j % 3 + 1) * 90 ))" ;;
    5) echo "--dpi 200 --blur $(awk -v j="$j" 'BEGIN { printf "%.2f", 1 + (j % 5) * 0.25 }') --noise $(( 4 + (j % 5) * 2 ))" ;;
    6) echo "--dpi 200 --jpeg $(( 50 + (j * 7) % 26 ))" ;;
    7) echo "--fax fine" ;;
    8) echo "--fax standard" ;;
    9) echo "--dpi 200 --photocopy 2" ;;
  esac
}

: > "$work/manifest.tsv"; : > "$work/commands"
for i in $(seq 0 $(( n - 1 ))); do
  marks=""
  for b in $(seq 0 8); do marks="$marks,${purposes[$b]}=${kinds[$(( (9 * i + b) % 7 ))]}"; done
  args="--marks ${marks#,} --seed $(( i + 1 )) $(degradation "$i")"
  printf '%d\t%s\tC%d\t%s\t%s\t%s\n' "$i" "${names[$(( i % 10 ))]}" $(( 100000 + i )) "$work/scans/scan-$i.pdf" \
    "$work/truth/scan-$i.json" "$args" >> "$work/manifest.tsv"
  echo "\"$bin/scan_form\" \"$work/forms/form-$i.pdf\" \"$work/scans/scan-$i.pdf\" $args --truth \"$work/truth/scan-$i.json\"" \
    >> "$work/commands"
done
t0=$(now)
xargs -P "$jobs" -d '\n' -n 1 sh -c < "$work/commands"
t1=$(now)
echo "simulated $n scans in $(secs "$t0" "$t1") s ($jobs at a time)"

echo "--- kaappi import, one batch per degradation (whole command, unlock included; load average $(cut -d" " -f1-3 /proc/loadavg))"
for d in $(seq 0 9); do
  files=(); for i in $(seq "$d" 10 $(( n - 1 ))); do files+=("$work/scans/scan-$i.pdf"); done
  t0=$(now); k import "${files[@]}" --json > "$work/import/$d.json" 2> "$work/import/$d.err" \
    || echo "import of ${names[$d]}: exit $? ($work/import/$d.err)"; t1=$(now)
  echo "import_${names[$d]} ${#files[@]} scans $(secs "$t0" "$t1") s" \
       "$(awk -v a="$t0" -v b="$t1" -v n="${#files[@]}" 'BEGIN { printf "%.3f", (b - a) / n }') s/scan"
done
echo "--- kaappi review --all --json (whole command, load average $(cut -d" " -f1-3 /proc/loadavg))"
t0=$(now); k review --all --json > "$work/review.json"; t1=$(now)
echo "review $n forms $(secs "$t0" "$t1") s $(awk -v a="$t0" -v b="$t1" -v n="$n" 'BEGIN { printf "%.4f", (b - a) / n }') s/form"

"$bin/omr_report" "$work/manifest.tsv" "$work/review.json" "$work"/import/*.json
