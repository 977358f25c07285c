#!/usr/bin/env bash
# Probe wall time against the number of ranks: with N-1 rounds of disjoint pairs it should grow
# about linearly with N (the rounds), not with N^2 (the pairs).
#
#   bench/probe_scaling.sh [BUILD_DIR]
#
# Runs `topoplan probe --paths mpi` on this machine for N = 2, 4, 8 ranks with a fixed workload
# per pair and prints the wall time, the rounds, and the time per round relative to N = 2.
set -euo pipefail
build=${1:-build}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%5s %8s %8s %12s %14s %18s\n' ranks pairs rounds "wall (s)" "s per round" "per round vs N=2"
base=""
for n in 2 4 8; do
  # --bw-suspect 0 and --lat-suspect 1000: no serial re-measurement, so only the rounds count.
  mpirun -np "$n" --oversubscribe --mca btl self,vader --mca mpi_yield_when_idle 1 \
    "$build/topoplan" probe --paths mpi --sizes 64K,1M --iters 20 --window 8 \
    --bw-suspect 0 --lat-suspect 1000 --out "$out/p$n.json" > /dev/null 2>&1
  wall=$(grep -o '"wall_time_s": [0-9.e+-]*' "$out/p$n.json" | awk '{print $2}')
  rounds=$(grep -o '"rounds": [0-9]*' "$out/p$n.json" | awk '{print $2}')
  per=$(awk -v w="$wall" -v r="$rounds" 'BEGIN {printf "%.3f", w / r}')
  [ -z "$base" ] && base=$per
  printf '%5d %8d %8d %12.2f %14s %17.2fx\n' "$n" $((n * (n - 1) / 2)) "$rounds" "$wall" "$per" \
    "$(awk -v p="$per" -v b="$base" 'BEGIN {print p / b}')"
done
