#!/usr/bin/env bash
# kaappi register benchmark: 100,000 customers and 1,000,000 consent events
# (sealed and signed exactly as kaappi writes them, by bench/ledger_fixture),
# then the key holder's everyday questions, timed as whole commands.
# "after unlock" leaves out the Argon2id key derivation (KAAPPI_REPORT_TIMING),
# which takes ~0.1 s with keys.example's "interactive" setting and ~0.5-1 s
# with the default "moderate" one.
# Usage: bench/ledger.sh [--quick]   (--quick: 10,000 customers, 100,000 events)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/setup.sh ledger
customers=100000; events=1000000
if [ "${1:-}" = "--quick" ]; then customers=10000; events=100000; fi

# Runs a command n times; prints the median whole-command time and the
# median time after unlock.
measure() {
  local name=$1 n=$2; shift 2
  local walls=() afters=()
  for _ in $(seq 1 "$n"); do
    local t0 t1 after
    t0=$(now)
    after=$(KAAPPI_REPORT_TIMING=1 "$bin/kaappi" -q "$@" 2>&1 >/dev/null | awk '/time after unlock/ {print $5}')
    t1=$(now)
    walls+=("$(secs "$t0" "$t1")"); afters+=("$after")
  done
  local mw ma
  mw=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  ma=$(printf '%s\n' "${afters[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$name  whole_command_s $mw  after_unlock_ms $ma  (median of $n)"
}

k init --reuse-key >/dev/null
t0=$(now); "$bin/ledger_fixture" "$customers" "$events" 2>/dev/null; t1=$(now)
echo "fixture: $customers customers, $events events written in $(secs "$t0" "$t1") s; index $(du -m "$work/archive/index.sqlite" | cut -f1) MB"
mid=$(printf 'C%d' $((100000 + customers / 2)))
measure "consent_show" 9 consent show "$mid"
measure "consent_show_as_of" 9 consent show "$mid" --as-of 2022-06-30
measure "consent_history" 5 consent history "$mid"
measure "customer_show" 5 customer show "$mid"
measure "customer_list_search_name" 5 customer list --search "hämeenlinnan kahvila"
measure "customer_list_search_email" 5 customer list --search "asiakas4711@"
measure "consent_list_email_granted" 5 consent list --purpose email-marketing --state granted
measure "consent_list_research_as_of" 5 consent list --purpose research --state granted --as-of 2021-01-01 --format csv
measure "customer_export_csv" 3 customer export -o - 
echo "consent_list_email_granted_rows $(k consent list --purpose email-marketing --state granted | wc -l)"
t0=$(now); k verify >/dev/null; t1=$(now); echo "verify_keyless_s $(secs "$t0" "$t1")"
t0=$(now); k verify --full >/dev/null; t1=$(now); echo "verify_full_s $(secs "$t0" "$t1")"
peak() { KAAPPI_REPORT_PEAK_RSS=1 "$bin/kaappi" -q "$@" 2>&1 >/dev/null | awk '/after the key was derived/ {print $(NF-1)}'; }
echo "consent_list_peak_rss_KiB $(peak consent list --purpose email-marketing) (after unlock)"
echo "verify_keyless_peak_rss_KiB $(peak verify)"
