#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, mpi, cli, netns, bench smoke runs),
# then the unit and command-line tests again under AddressSanitizer and UndefinedBehaviorSanitizer
# (build-sanitize/; TOPOPLAN_SKIP_SANITIZERS=1 skips that stage), then every parser's libFuzzer
# target for 30 s (scripts/fuzz.sh; TOPOPLAN_SKIP_FUZZ=1 skips it). Tests that need hardware this
# machine lacks (GPU, RDMA) or privileges (network namespaces) report as skipped with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"

if [ "${TOPOPLAN_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== unit and command-line tests under ASan + UBSan"
  if [ ! -f build-sanitize/CMakeCache.txt ]; then
    cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTOPOPLAN_SANITIZE=ON \
      -DTOPOPLAN_WITH_CUDA=OFF > /dev/null
  fi
  cmake --build build-sanitize -j "$(nproc)"
  # Plugins that a library dlopens and unloads (hwloc's components, Open MPI's MCA components)
  # leave leaks whose frames are gone by exit and cannot be suppressed by name: the sanitizer run
  # uses hwloc's built-in components only and leaves out the tests that start MPI (label mpi).
  HWLOC_PLUGINS_PATH=/nonexistent \
    UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-sanitize -L "unit|cli" -LE mpi --output-on-failure -j "$(nproc)"
fi

if [ "${TOPOPLAN_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== libFuzzer targets, 30 s each"
  TOPOPLAN_FUZZ_SEED=${TOPOPLAN_FUZZ_SEED:-1} scripts/fuzz.sh 30
fi
