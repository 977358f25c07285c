#!/usr/bin/env bash
# mpi_named_waived.sh TOPOPLAN OUTDIR: `allreduce --algo ring,nccl` on a machine without a CUDA
# device measures ring, waives nccl, writes the document and exits 3 (nccl was asked for and
# nothing was measured of it); `--algo all` on the same machine waives nccl and exits 0.
set -uo pipefail
topoplan=$1 outdir=$2
command -v mpirun >/dev/null || { echo "SKIP: mpirun not found"; exit 77; }
if command -v nvidia-smi >/dev/null && nvidia-smi -L 2>/dev/null | grep -q '^GPU'; then
  echo "SKIP: this machine has a CUDA device, so nccl is not waived here"
  exit 77
fi
mkdir -p "$outdir"
json="$outdir/named-waived.json"
rm -f "$json"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
run() { timeout 120 mpirun -np 2 --oversubscribe --mca btl self,vader "$topoplan" allreduce "$@"; }
output=$(run --algo ring,nccl -b 8 -e 64 -w 1 -n 2 --json "$json" 2>&1)
code=$?
echo "$output"
[ "$code" -eq 3 ] || { echo "FAILED: --algo ring,nccl exited $code, expected 3"; exit 1; }
grep -q "algo nccl was asked for and waived (no CUDA device" <<<"$output" ||
  { echo "FAILED: no waiver message"; exit 1; }
grep -q '"algo": "ring"' "$json" || { echo "FAILED: the document lacks ring's records"; exit 1; }
grep -q '"reason": "no CUDA device' "$json" || { echo "FAILED: the document lacks the waiver"; exit 1; }
run --algo all -b 8 -e 64 -w 1 -n 2 >/dev/null 2>&1
code=$?
[ "$code" -eq 0 ] || { echo "FAILED: --algo all exited $code, expected 0"; exit 1; }
echo "OK: named nccl waived -> 3, all -> 0"
