# bench/setup.sh — what every benchmark script starts with; sourced as
#   source bench/setup.sh NAME
# from the repository root. Installs the packages, builds the developer
# preset, makes a throwaway work folder (removed on exit; in
# $KAAPPI_BENCH_TMP, default /tmp) with the example key
# and its passphrase file — or, with $KAAPPI_BENCH_WORK set, uses and keeps
# that folder (made when missing; a benchmark's fixture built once and
# reused) — and defines:
#   $bin  the built programs     $work  the work folder
#   k ARGS...   kaappi, quiet, without the example-key warning
#   now         seconds since the epoch, with nanoseconds
#   secs T0 T1  the seconds between two `now`s (2 decimals)
#   rate T0 T1 N  N per second between two `now`s (1 decimal)
# and prints the machine's cores and CPU.
bash scripts/install-deps.sh >/dev/null
bash scripts/build.sh default >/dev/null
bin=$(pwd)/build/bin
if [ -n "${KAAPPI_BENCH_WORK:-}" ]; then
  mkdir -p "$KAAPPI_BENCH_WORK"
  work=$(cd "$KAAPPI_BENCH_WORK" && pwd)
else
  work=$(mktemp -d "${KAAPPI_BENCH_TMP:-/tmp}/kaappi-${1:-bench}-XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi
export KAAPPI_ARCHIVE="$work/archive" KAAPPI_KEY="$work/key" XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config"
cp keys.example "$KAAPPI_KEY"
printf 'kaappi-example-passphrase\n' > "$work/pass"
export KAAPPI_PASSPHRASE_FILE="$work/pass"
k() { "$bin/kaappi" -q "$@" 2> >(grep -v 'published example key' >&2); }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.1f", n / (b - a) }'; }
echo "machine: $(nproc) cores, $(awk '/model name/{$1=$2=$3=""; print; exit}' /proc/cpuinfo | sed 's/^ *//')"
