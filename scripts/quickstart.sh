#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on this machine: an AllReduce sweep
# over 4 local MPI ranks, every algorithm, verified, into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mkdir -p out

# Open MPI refuses to run as root unless told this is intended.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun -np 4 --oversubscribe --mca btl self,vader \
  build/topoplan allreduce --algo all --check -b 8 -e 16M -f 4 -w 3 -n 10 \
  --json out/allreduce.json | tee out/allreduce.txt

echo
echo "Results:"
echo "  table: out/allreduce.txt"
echo "  JSON:  out/allreduce.json (schema topoplan.allreduce/v1)"
