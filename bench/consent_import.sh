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
source bench/register_csv.sh
rows=${1:-100000}; customers=${2:-10000}

k init --reuse-key >/dev/null
customers_csv "$customers" "$work/customers.csv"
t0=$(now); k customer import "$work/customers.csv" >/dev/null; t1=$(now)
echo "customer_import: $customers customers in $(secs "$t0" "$t1") s"
consents_csv "$rows" "$customers" "$work/consents.csv"
t0=$(now); k consent import "$work/consents.csv" >/dev/null; t1=$(now)
t=$(secs "$t0" "$t1")
echo "consent_import: $rows events over $customers customers in $t s ($(awk -v r="$rows" -v t="$t" 'BEGIN { printf "%.0f", r / t }') rows/s)"
