#!/usr/bin/env bash
# kaappi register benchmark (format 2): 100,000 customers loaded with
# `customer import`, 1,000,000 consent events with `consent import`, then
# 10,000 ordinary writes of one event each (one signed change each, as
# `consent set` writes them: made through the library by bench/ledger_fixture,
# so that 10,000 key derivations are not what is timed), then the key holder's
# everyday questions, timed as whole commands (also with the unlock agent
# holding the key), and verify.
# "after unlock" leaves out the Argon2id key derivation (KAAPPI_REPORT_TIMING),
# which takes ~0.1 s with keys.example's "interactive" setting and ~0.5-1 s
# with the default "moderate" one.
#
# Usage: bench/ledger.sh [--quick] [--one-per-change] [--fixture DIR]
#   --quick           10,000 customers and 100,000 events
#   --one-per-change  instead: every event its own signed change (as if each
#                     came from one command), made by bench/ledger_fixture in
#                     /dev/shm (fsync is not what is measured); times keyless
#                     verify only
#   --fixture DIR     keep the archive (with its key and state) in DIR: built
#                     there when DIR holds none, and kept; when DIR already
#                     holds one (built by the same options), nothing is built
#                     and only keyless verify is timed
set -euo pipefail
cd "$(dirname "$0")/.."
customers=100000; events=1000000; one_per_change=0; fixture=
usage() { echo "usage: bench/ledger.sh [--quick] [--one-per-change] [--fixture DIR]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) customers=10000; events=100000 ;;
    --one-per-change) one_per_change=1 ;;
    --fixture) [ $# -ge 2 ] || usage; fixture=$2; shift ;;
    *) usage ;;
  esac
  shift
done
[ "$one_per_change" = 1 ] && export KAAPPI_BENCH_TMP=/dev/shm
[ -n "$fixture" ] && export KAAPPI_BENCH_WORK=$fixture
reuse=0
[ -n "$fixture" ] && [ -e "$fixture/archive/index.sqlite" ] && reuse=1
source bench/setup.sh ledger
source bench/register_csv.sh
echo "date: $(date -u +%F)"

peak() { KAAPPI_REPORT_PEAK_RSS=1 "$bin/kaappi" -q "$@" 2>&1 >/dev/null | awk '/after the key was derived/ {print $(NF-1)}'; }
# Keyless verify: wall time and peak RSS (of the whole process).
verify_keyless() {
  k key public > "$work/public"
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin/kaappi" -q verify --public-key "$work/public" >/dev/null
  read -r wall rss < "$work/time"
  echo "verify_keyless_s $wall  peak_rss_MiB $((rss / 1024))"
}

if [ "$reuse" = 1 ]; then
  echo "fixture: reused from $work; index $(du -m "$work/archive/index.sqlite" | cut -f1) MB"
  verify_keyless
  exit 0
fi
k init --reuse-key >/dev/null
if [ "$one_per_change" = 1 ]; then
  t0=$(now); "$bin/ledger_fixture" "$customers" 0 2>/dev/null; "$bin/ledger_fixture" 0 "$events" 1 2>/dev/null; t1=$(now)
  echo "fixture: $customers customers, $events events in $events changes written in $(secs "$t0" "$t1") s; index $(du -m "$work/archive/index.sqlite" | cut -f1) MB"
  verify_keyless
  exit 0
fi

customers_csv "$customers" "$work/customers.csv"
t0=$(now); k customer import "$work/customers.csv" >/dev/null; t1=$(now)
echo "customer_import_s $(secs "$t0" "$t1")  ($customers customers, one command)"
consents_csv "$events" "$customers" "$work/consents.csv"
/usr/bin/time -f "%e %M" -o "$work/time" "$bin/kaappi" -q consent import "$work/consents.csv" >/dev/null 2>&1
read -r wall rss < "$work/time"
echo "consent_import_s $wall  peak_rss_MiB $((rss / 1024))  ($events events, one command)"
t0=$(now); "$bin/ledger_fixture" 0 10000 1 2>/dev/null; t1=$(now)
echo "single_writes: 10000 changes of one event each written in $(secs "$t0" "$t1") s; index $(du -m "$work/archive/index.sqlite" | cut -f1) MB"

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

# With the unlock agent (kaappi unlock): whole commands that derive no key,
# and their peak memory (goal: under 50 ms and under 64 MiB each).
export XDG_RUNTIME_DIR="$work/run"
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
k unlock >/dev/null
agent_measure() {
  local name=$1 n=$2; shift 2
  local walls=() peaks=()
  for _ in $(seq 1 "$n"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin/kaappi" -q "$@" >/dev/null 2>&1
    read -r wall rss < "$work/time"
    walls+=("$wall"); peaks+=("$rss")
  done
  echo "$name  whole_command_s $(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" \
    " peak_rss_MiB $(( $(printf '%s\n' "${peaks[@]}" | sort -n | tail -1) / 1024 ))  (median time, highest peak, of $n; the unlock agent)"
}
agent_measure "consent_show_agent" 9 consent show "$mid"
agent_measure "customer_show_agent" 9 customer show "$mid"
k lock >/dev/null
unset XDG_RUNTIME_DIR
verify_keyless
t0=$(now); k verify --full >/dev/null; t1=$(now); echo "verify_full_s $(secs "$t0" "$t1")"
echo "consent_list_peak_rss_KiB $(peak consent list --purpose email-marketing) (after unlock)"
