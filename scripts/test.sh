#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, cli, mpi, netns, bench smoke runs,
# fuzz replays); then builds the instrumented tree (build-fuzz/: clang, AddressSanitizer,
# UndefinedBehaviorSanitizer and libFuzzer's coverage, one tree for both) and runs the unit and
# command-line tests again there (TOPOPLAN_SKIP_SANITIZERS=1 skips that stage), then every
# libFuzzer target for TOPOPLAN_FUZZ_SECONDS each, 12 by default (scripts/fuzz.sh;
# TOPOPLAN_SKIP_FUZZ=1 skips it). Tests that need hardware this machine lacks (GPU, RDMA) or
# privileges (network namespaces) report as skipped with the reason. Arguments go to the first
# ctest run (e.g. -R planner). Ends with a table of each stage's wall time.
set -euo pipefail
cd "$(dirname "$0")/.."

stages=()
failed=0
# stage NAME COMMAND...: runs COMMAND and records its wall time; a failure is remembered (the
# script exits 1 at the end) and the next stages still run.
stage() {
  local name=$1 start status=0
  shift
  start=$EPOCHREALTIME
  "$@" || status=$?
  stages+=("$(awk -v name="$name" -v s="$start" -v e="$EPOCHREALTIME" -v st="$status" 'BEGIN {
    printf "%-44s %8.1f s%s", name, e - s, st == 0 ? "" : "  (failed, exit " st ")" }')")
  [ $status -eq 0 ] || failed=1
}
report() {
  local status=$?
  echo
  echo "== wall time per stage"
  printf '%s\n' "${stages[@]}"
  [ $status -ne 0 ] || [ $failed -eq 0 ] || status=1
  exit $status
}
trap report EXIT

stage "setup and build (build/)" scripts/setup.sh
[ $failed -eq 0 ] || exit 1
# ctest by label, one label group at a time (a test with several labels runs in the first group
# that names one of them).
stage "ctest unit" ctest --test-dir build -L unit --output-on-failure -j "$(nproc)" "$@"
stage "ctest cli" ctest --test-dir build -L cli -LE unit --output-on-failure -j "$(nproc)" "$@"
stage "ctest netns" ctest --test-dir build -L netns --output-on-failure -j "$(nproc)" "$@"
stage "ctest mpi" ctest --test-dir build -L mpi -LE "unit|cli|netns" --output-on-failure \
  -j "$(nproc)" "$@"
stage "ctest bench, gpu and the rest" ctest --test-dir build -LE "unit|cli|netns|mpi" \
  --output-on-failure -j "$(nproc)" "$@"

if [ "${TOPOPLAN_SKIP_SANITIZERS:-0}" != 1 ] || [ "${TOPOPLAN_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== the instrumented tree (build-fuzz/: ASan + UBSan + libFuzzer coverage)"
  stage "build the instrumented tree (build-fuzz/)" scripts/instrumented-tree.sh
  [ $failed -eq 0 ] || exit 1
fi

if [ "${TOPOPLAN_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== unit and command-line tests under ASan + UBSan"
  # Plugins that a library dlopens and unloads (hwloc's components, Open MPI's MCA components)
  # leave leaks whose frames are gone by exit and cannot be suppressed by name: the sanitizer run
  # uses hwloc's built-in components only and leaves out the tests that start MPI (label mpi).
  stage "ctest unit and cli under ASan + UBSan" env HWLOC_PLUGINS_PATH=/nonexistent \
    UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-fuzz -L "unit|cli" -LE mpi --output-on-failure -j "$(nproc)"
fi

if [ "${TOPOPLAN_SKIP_FUZZ:-0}" != 1 ]; then
  seconds=${TOPOPLAN_FUZZ_SECONDS:-12}
  echo "== libFuzzer targets, $seconds s each"
  stage "fuzz targets, $seconds s each" env TOPOPLAN_FUZZ_SEED="${TOPOPLAN_FUZZ_SEED:-1}" \
    scripts/fuzz.sh "$seconds"
fi
