#!/usr/bin/env bash
# Proves the GPU paths on a machine with a CUDA device:
#   1. the GPU tests (ctest label gpu, or with --bundle the gpu-labelled binaries with their
#      filters; on a GPU machine none of them may skip);
#   2. the device reduction kernel against cudaMemcpy D2D, by device-memory traffic
#      (bench/device_reduce_vs_memcpy; goal >= 0.85x);
#   3. H2D, D2H and D2D copies against their expected peaks (topoplan probe --paths gpu);
#   4. a single-GPU NCCL AllReduce with --check (topoplan allreduce --algo nccl).
# Then a summary table.
#
#   scripts/gpu-check.sh [OUTDIR]                  builds here (scripts/setup.sh on a fresh clone)
#   scripts/gpu-check.sh --bundle DIR [OUTDIR]     runs from a bundle of scripts/gpu-bundle.sh, on a
#                                                  machine without our packages or a registry
# Results land in OUTDIR (default out/gpu-check). Exits 3 without CUDA or a CUDA device, 1 when a
# test or the check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=""
if [ "${1:-}" = --bundle ]; then
  bundle=$(cd "${2:?--bundle needs the bundle folder}" && pwd)
  shift 2
fi
out=${1:-out/gpu-check}
mkdir -p "$out"
export OMPI_ALLOW_RUN_AS_ROOT=${OMPI_ALLOW_RUN_AS_ROOT:-1}
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}

if [ -n "$bundle" ]; then
  run() { "$bundle/run" "$@"; }
  "$bundle/run" --which | tee "$out/versions.txt"
else
  if [ -f build/CMakeCache.txt ]; then
    cmake --build build -j "$(nproc)"
  else
    scripts/setup.sh
  fi
  if ! grep -q "TOPOPLAN_HAVE_CUDA 1" build/generated/topoplan/config.h; then
    echo "gpu-check: this build has no CUDA support (the CUDA toolkit was not found)" >&2
    exit 3
  fi
  run() {
    local program=$1
    shift
    case $program in
      topoplan) build/topoplan "$@" ;;
      device_reduce_vs_memcpy) build/bench/device_reduce_vs_memcpy "$@" ;;
      mpirun) mpirun "$@" ;;
      *) echo "gpu-check: no program $program" >&2; return 2 ;;
    esac
  }
fi
topoplan=topoplan
[ -n "$bundle" ] || topoplan=$PWD/build/topoplan
if ! run topoplan inventory | grep -q "^  cuda0 "; then
  run topoplan inventory | grep "^cuda:" >&2 || true
  echo "gpu-check: no CUDA device on this machine" >&2
  exit 3
fi
mpirun=(run mpirun -np 1 --oversubscribe --mca btl self,vader)

echo "== 1. GPU tests"
if [ -n "$bundle" ]; then
  : >"$out/gpu-tests.txt"
  while read -r name filter; do
    run "$name" --gtest_filter="$filter" 2>&1 | tee -a "$out/gpu-tests.txt" ||
      { echo "gpu-check: $name failed" >&2; exit 1; }
  done <"$bundle/gpu-tests.txt"
  skipped_pattern='^\[  SKIPPED \]'
else
  ctest --test-dir build -L gpu --output-on-failure | tee "$out/gpu-tests.txt"
  skipped_pattern='Skipped'
fi
if grep -q "$skipped_pattern" "$out/gpu-tests.txt"; then
  echo "gpu-check: GPU tests skipped on a machine with a CUDA device" >&2
  exit 1
fi

echo "== 2. device reduction kernel vs cudaMemcpy D2D"
run device_reduce_vs_memcpy --sizes 64M,256M | tee "$out/reduce-vs-memcpy.txt"

echo "== 3. GPU copies against their expected peaks"
"${mpirun[@]}" "$topoplan" probe --paths gpu --out "$out/gpu-probe.json" | tee "$out/gpu-probe.txt"

echo "== 4. single-GPU NCCL AllReduce with --check"
"${mpirun[@]}" "$topoplan" allreduce --algo nccl -b 16 -e 256M -f 4 -d float,bf16,half,int32 \
  -o sum,max --check --json "$out/nccl-allreduce.json" | tee "$out/nccl-allreduce.txt"
if ! grep -q '"algo": "nccl"' "$out/nccl-allreduce.json"; then
  echo "gpu-check: the NCCL AllReduce was waived" >&2
  exit 1
fi

echo
echo "== summary (GB/s)"
[ -z "$bundle" ] || sed 's/^/# /' "$out/versions.txt"
grep -h "^# topoplan allreduce:" "$out/nccl-allreduce.txt" || true
printf "%-34s %12s %12s %8s\n" "measurement" "measured" "reference" "ratio"
awk '/^ +[0-9]/ && $2 == "float" { printf "%-34s %12s %12s %8s\n", \
  "reduce float sum " $1 " vs memcpy", $4, $3, $5 }' "$out/reduce-vs-memcpy.txt"
awk '$1 != "#" && ($2 == "h2d" || $2 == "d2h" || $2 == "d2d") { printf "%-34s %12s %12s %8s\n", \
  $2 " " $3 "->" $4 " vs peak", $6, $7, $8 "%" }' "$out/gpu-probe.txt"
awk '/^ +268435456 / && $3 == "float" && $4 == "sum" { printf "%-34s %12s %12s %8s\n", \
  "nccl float sum 256M algbw oop/ip", $6, $10, "" }' "$out/nccl-allreduce.txt"
grep "Wrong elements" "$out/nccl-allreduce.txt"
echo "gpu-check: results in $out"
