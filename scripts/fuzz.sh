#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs every target in
# fuzz/ for SECONDS each (default 6), or only the TARGETs named (key_file,
# blob, ...). The targets are built in the asan preset's tree (build-asan/) if
# it was configured with them (the test command builds them there), else in
# the fuzz preset's (build-fuzz/); BUILD below is that folder. Each starts from
# its seeds (fuzz/corpus/TARGET) and what earlier runs learned
# (fuzz/learned/TARGET), and keeps what it learns in BUILD/corpus/TARGET; a
# crash is saved under BUILD/crashes/TARGET/ and makes the script exit 1 after
# all have run. With --learn, each target's inputs are then merged into
# fuzz/learned/TARGET (only those that add coverage), for committing: every
# test build replays them (fuzz/CMakeLists).
# Usage: scripts/fuzz.sh [--learn] [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
learn=no
if [ "${1:-}" = "--learn" ]; then
  learn=yes
  shift
fi
seconds="${1:-6}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  # Every target fuzz/CMakeLists.txt builds (KAAPPI_FUZZ_TARGETS, the one list).
  read -r -a targets <<<"$(sed -n '/^set(KAAPPI_FUZZ_TARGETS/,/)/p' fuzz/CMakeLists.txt |
    tr -d '()' | tr -s ' \n' ' ' | sed 's/^set *KAAPPI_FUZZ_TARGETS *//')"
fi

# The longest input each target is given: a little over its largest seed.
max_len() {
  case "$1" in
    public_key | blob_cut) echo 512 ;;
    bomb_guard | station_metadata | probe_reply) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

# Seconds one input may take; station_metadata's first input also makes its
# archive, unlocking the example key twice (Argon2, slow under ASan).
input_timeout() {
  case "$1" in
    station_metadata) echo 120 ;;
    *) echo 20 ;;
  esac
}

if grep -qx 'KAAPPI_FUZZ:BOOL=ON' build-asan/CMakeCache.txt 2>/dev/null; then
  build=build-asan
  cmake --build build-asan --target fuzz_targets -j "$(nproc)"
else
  build=build-fuzz
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$(nproc)"
fi

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
failed=()
for target in "${targets[@]}"; do
  work="$build/corpus/$target" crashes="$build/crashes/$target" log="$build/logs/$target.log"
  mkdir -p "$work" "$crashes" "$build/logs"
  mkdir -p "fuzz/learned/$target"
  if "$build/fuzz/fuzz_$target" "$work" "fuzz/corpus/$target" "fuzz/learned/$target" -max_total_time="$seconds" \
    -max_len="$(max_len "$target")" -timeout="$(input_timeout "$target")" -rss_limit_mb=2560 -print_final_stats=1 \
    -artifact_prefix="$crashes/" >"$log" 2>&1; then
    echo "fuzz $target: ok, $(sed -n 's/^stat::number_of_executed_units: *//p' "$log") inputs in ${seconds} s"
  else
    echo "fuzz $target: FAILED (input saved in $crashes/, log $log):"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|internal error|artifact_prefix)' "$log" | awk '!seen[$0]++' | head -8 ||
      tail -20 "$log"
    failed+=("$target")
  fi
done
if [ "$learn" = yes ]; then
  for target in "${targets[@]}"; do
    merged="$build/merged/$target"
    rm -rf "$merged" && mkdir -p "$merged"
    "$build/fuzz/fuzz_$target" -merge=1 -timeout="$(input_timeout "$target")" -rss_limit_mb=2560 \
      "$merged" "fuzz/corpus/$target" "fuzz/learned/$target" "$build/corpus/$target" >/dev/null 2>&1
    rm -rf "fuzz/learned/$target" && mv "$merged" "fuzz/learned/$target"
    echo "fuzz $target: fuzz/learned/$target now holds $(ls "fuzz/learned/$target" | wc -l) inputs"
  done
fi
if [ "${#failed[@]}" -ne 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) crashed: ${failed[*]}"
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${seconds} s each without a crash"
