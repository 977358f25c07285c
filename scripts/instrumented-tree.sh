#!/usr/bin/env bash
# Configures and builds the instrumented tree, build-fuzz/: clang, our code under AddressSanitizer
# and UndefinedBehaviorSanitizer with libFuzzer's coverage (one tree for the sanitizer tests and
# the fuzz targets), at -O1 with line tables: what the sanitizers' reports need, in less compile
# time than -O2 -g. No CUDA, no bench/ (it runs no benchmark). Arguments: the targets to build
# (none: all).
set -euo pipefail
cd "$(dirname "$0")/.."
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
  -DTOPOPLAN_FUZZ=ON -DTOPOPLAN_WITH_CUDA=OFF -DTOPOPLAN_BENCHMARKS=OFF >/dev/null
if [ $# -gt 0 ]; then
  cmake --build build-fuzz -j "$(nproc)" --target "$@"
else
  cmake --build build-fuzz -j "$(nproc)"
fi
