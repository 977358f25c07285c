#!/usr/bin/env bash
# Builds the libFuzzer targets into build-fuzz/ (scripts/instrumented-tree.sh) and runs
# each for SECONDS (default 30), two at a time, from its seeds (tests/fuzz/seeds.txt) and kept
# regressions. TOPOPLAN_FUZZ_SEED fixes libFuzzer's random seed (scripts/test.sh uses 1, so that
# CI explores the same inputs each time; unset or 0: a new seed each run).
# A crash, a sanitizer report, a hang (10 s) or an input needing 2 GB fails the run; its input is
# kept under tests/fuzz/regressions/TARGET/ (to be committed), from where ctest replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
seed=${TOPOPLAN_FUZZ_SEED:-0}
root=$PWD
mapfile -t targets < <(grep -oE '^[a-z_]+' tests/fuzz/seeds.txt)
scripts/instrumented-tree.sh "${targets[@]/#/fuzz_}"

work=build-fuzz/fuzz-runs
rm -rf "$work"
mkdir -p "$work"
run_one() {
  local target=$1 seconds=$2 root=$3 work=$4 seed=$5
  local seeds
  seeds=$(grep "^$target:" "$root/tests/fuzz/seeds.txt" | cut -d: -f2)
  [ -d "$root/tests/fuzz/regressions/$target" ] && seeds="$seeds fuzz/regressions/$target"
  mkdir -p "$work/$target/corpus" "$work/$target/crashes"
  # shellcheck disable=SC2086  # the seed folders are words
  if (cd "$root/tests" && timeout $((seconds + 120)) "$root/build-fuzz/tests/fuzz/fuzz_$target" \
      -seed="$seed" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
      -artifact_prefix="$root/$work/$target/crashes/" "$root/$work/$target/corpus" $seeds \
      >"$root/$work/$target/log" 2>&1) && [ -z "$(ls -A "$work/$target/crashes")" ]; then
    echo "fuzz $target: $(grep -E '^#[0-9]+[[:space:]]+DONE' "$work/$target/log" | tail -1)"
  else
    echo "fuzz $target: FAILED (log: $work/$target/log)"
    grep -aE 'ERROR|SUMMARY|Test unit written' "$work/$target/log" | head -5
    mkdir -p "tests/fuzz/regressions/$target"
    for input in "$work/$target/crashes"/*; do
      [ -f "$input" ] || continue
      cp "$input" "tests/fuzz/regressions/$target/"
      echo "  kept $(basename "$input") in tests/fuzz/regressions/$target/ (base64: $(base64 -w0 "$input" | head -c 2000))"
    done
    return 1
  fi
}
export -f run_one
printf '%s\n' "${targets[@]}" | xargs -P 2 -I{} bash -c 'run_one "$@"' _ {} "$seconds" "$root" "$work" "$seed"
