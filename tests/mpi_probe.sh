#!/usr/bin/env bash
# mpi_probe.sh TOPOPLAN VALIDATOR NP OUTDIR: runs `topoplan probe` under mpirun with NP ranks on
# this machine and validates the cluster document it writes.
set -euo pipefail
topoplan=$1 validator=$2 np=$3 outdir=$4
if ! command -v mpirun >/dev/null; then
  echo "SKIP: mpirun not found"
  exit 77
fi
mkdir -p "$outdir"
json="$outdir/probe-np$np.json"
rm -f "$json"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
timeout 300 mpirun -np "$np" --oversubscribe --mca btl self,vader \
  "$topoplan" probe --paths mpi,tcp,gpu,ib --sizes 4K,256K --iters 3 --keep-sweeps --out "$json"
"$validator" "$json" "$np" gpu,ib
