#!/usr/bin/env bash
# kaappi consent import benchmark: a register of CUSTOMERS customers (loaded
# with `customer import`), then one CSV of ROWS consent events over them
# imported with `consent import`, timed as a whole command (key derivation
# included: keys.example's "interactive" setting, ~0.1 s).
# Usage: bench/consent_import.sh [ROWS [CUSTOMERS]]   (default 100000 10000;
# the issue's goal is 1000000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/setup.sh cimport
rows=${1:-100000}; customers=${2:-10000}

k init --reuse-key >/dev/null
awk -v n="$customers" 'BEGIN { print "number,name,email"
  for (i = 0; i < n; i++) printf "C%d,Asiakas %d Oy,asiakas%d@example.fi\n", 100000 + i, i, i }' > "$work/customers.csv"
t0=$(now); k customer import "$work/customers.csv" >/dev/null; t1=$(now)
echo "customer_import: $customers customers in $(secs "$t0" "$t1") s"
# Every purpose and ban, the three recordable states, dates over 2019-2026,
# sources web-form/email/phone, a note on every third row.
awk -v n="$rows" -v c="$customers" 'BEGIN { srand(42)
  split("email-marketing sms-marketing electronic-marketing personal-data research development-contact ban-direct-advertising ban-distance-selling ban-direct-marketing", p, " ")
  split("granted granted refused withdrawn", s, " "); split("web-form email phone", src, " ")
  print "customer,purpose,state,effective,source,document,note"
  for (i = 0; i < n; i++)
    printf "C%d,%s,%s,%04d-%02d-%02d,%s,,%s\n", 100000 + int(rand() * c), p[1 + int(rand() * 9)], s[1 + int(rand() * 4)],
      2019 + int(rand() * 8), 1 + int(rand() * 12), 1 + int(rand() * 28), src[1 + int(rand() * 3)],
      (i % 3 == 0 ? "Asiakas soitti ja vahvisti" : "") }' > "$work/consents.csv"
t0=$(now); k consent import "$work/consents.csv" >/dev/null; t1=$(now)
t=$(secs "$t0" "$t1")
echo "consent_import: $rows events over $customers customers in $t s ($(awk -v r="$rows" -v t="$t" 'BEGIN { printf "%.0f", r / t }') rows/s)"
