#!/usr/bin/env bash
# mpi_allreduce.sh TOPOPLAN VALIDATOR NP OUTDIR: runs `topoplan allreduce --algo all --check`
# under mpirun with NP ranks on this machine and validates the JSON it writes.
set -euo pipefail
topoplan=$1 validator=$2 np=$3 outdir=$4
if ! command -v mpirun >/dev/null; then
  echo "SKIP: mpirun not found"
  exit 77
fi
mkdir -p "$outdir"
json="$outdir/allreduce-np$np.json"
rm -f "$json"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
timeout 300 mpirun -np "$np" --oversubscribe --mca btl self,vader \
  "$topoplan" allreduce --algo all -d float,half,int32 -o sum,max -b 0 -e 1M -f 8 -w 1 -n 3 \
  --chunk 16K --check --json "$json"
"$validator" "$json" "$np" mpi,ring,rhd,tree nccl
