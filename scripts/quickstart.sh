#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole pipeline into out/:
#   on a simulated cluster (2 racks x 3 nodes, rack uplinks at 200 Mbit/s, node r1n2 degraded to
#   100 Mbit/s; needs root for network namespaces): probe -> allreduce -> topo -> place;
#   without root: the same on 4 local ranks (one host, so topo and place use the real 847-host
#   Clos in tests/data instead of measurements).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mkdir -p out
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
topoplan=$PWD/build/topoplan
prefix=tpq

simulated=0
scripts/simcluster.sh check prefix=$prefix 2>/dev/null && simulated=1

if [ $simulated -eq 1 ]; then
  trap 'scripts/simcluster.sh down prefix=$prefix >/dev/null' EXIT
  scripts/simcluster.sh down prefix=$prefix >/dev/null
  scripts/simcluster.sh up prefix=$prefix degrade=r1n2:100mbit
  run() { scripts/simcluster.sh mpirun prefix=$prefix -- "$@"; }
  echo "== probe: every pair of the 6 nodes, in rounds"
  run "$topoplan" probe --sizes 4K,64K,1M --iters 5 --window 4 --out out/cluster.json | tee out/probe.txt
  echo "== allreduce across the simulated cluster"
  run "$topoplan" allreduce --algo all --check -b 8 -e 1M -f 8 -w 1 -n 5 --json out/allreduce.json \
    | tee out/allreduce.txt
  cluster=out/cluster.json
  gang=(--gang 3 --bytes 16M)
else
  echo "== not root (or no network namespaces): running on 4 local ranks of this machine only"
  run() { mpirun -np 4 --oversubscribe --mca btl self,vader "$@"; }
  run "$topoplan" probe --iters 5 --out out/cluster.json | tee out/probe.txt
  run "$topoplan" allreduce --algo all --check -b 8 -e 16M -f 4 -w 3 -n 10 \
    --json out/allreduce.json | tee out/allreduce.txt
  cluster=tests/data/clusters/alibaba-lingjun-2023-topo.csv
  gang=(--gang 16x8 --level-gbps ASW=50,PSW=25)
fi

echo "== topo: $cluster"
"$topoplan" topo "$cluster" | tee out/topology.txt
"$topoplan" topo "$cluster" --format json --out out/topology.json
"$topoplan" topo "$cluster" --format dot --out out/topology.dot
echo "== place: ${gang[*]}"
"$topoplan" place --cluster "$cluster" "${gang[@]}" --json out/plan.json | tee out/plan.txt

echo
echo "== summary"
grep -E '^  [0-9]+@' out/probe.txt | sort -g -k5 | head -1 |
  awk '{printf "slowest pair:      %s <-> %s, %s GB/s (%s probe, %s)\n", $1, $2, $5, $3, $4}'
echo "islands found:     $(grep -cE '^  [^ ]+: [0-9]+ hosts' out/topology.txt) domains at the finest level shown in out/topology.txt"
grep -A1 '^degraded hosts:' out/topology.txt | tail -1 | sed 's/^ */degraded:          /'
grep -E '^recommended:|^  hosts:' out/plan.txt | sed 's/^recommended: /recommended gang:  /; s/^  hosts: */                   hosts /'
echo
echo "Results in out/: cluster.json (probe), allreduce.json, topology.json/.txt/.dot, plan.json/.txt"
