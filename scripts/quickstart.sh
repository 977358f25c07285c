#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole pipeline into out/:
#   on a simulated cluster (2 racks x 3 nodes, rack uplinks at 200 Mbit/s, node r1n2 degraded to
#   100 Mbit/s, a VXLAN pod network beside the node network; needs root for network
#   namespaces): probe (the node network over MPI and TCP, the pod network over TCP, each rack's
#   uplink under contention) -> allreduce -> topo -> place -> verify (the plan's gang and
#   baselines measured) -> export (Slurm; node labels, Kueue, Volcano, KAI and gang manifests) ->
#   compare (against the history of earlier runs' allreduce figures, out/allreduce-history.jsonl,
#   to which this run is then appended) ->
#   HTML report;
#   without root: the same on 4 local ranks (one host, so topo and place use the real 847-host
#   Clos in tests/data instead of measurements).
#   --local runs on local ranks even where the simulated cluster could run; --out DIR writes the
#   results there instead of out/.
#   --slurm runs the loop through a real Slurm on the simulated cluster instead (root): the probe
#   and verify as Slurm jobs, the hints applied with export slurm-apply, and Slurm's own choice
#   for a rack-sized gang before and after them, measured (scripts/slurm-loop.sh; out/slurm/).
set -euo pipefail
cd "$(dirname "$0")/.."
local_only=0
slurm=0
out=out
while [ $# -gt 0 ]; do
  case $1 in
    --local) local_only=1 ;;
    --slurm) slurm=1 ;;
    --out) out=${2:?--out needs a folder}; shift ;;
    *) echo "quickstart: unknown option '$1' (expected --local, --slurm or --out DIR)" >&2; exit 2 ;;
  esac
  shift
done
scripts/setup.sh
mkdir -p "$out"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
topoplan=$PWD/build/topoplan
prefix=tpq

if [ $slurm -eq 1 ]; then
  why=$(scripts/simcluster.sh check prefix=$prefix 2>&1) ||
    { echo "quickstart: --slurm needs the simulated cluster: ${why#simcluster: }" >&2; exit 2; }
  echo "== the loop through a real Slurm (slurmctld and one slurmd per node of the simulated cluster)"
  scripts/slurm-loop.sh --out "$out/slurm" --topoplan "$topoplan"
  echo
  echo "Slurm's own sbatch -N 3 before and after topoplan's hints: the table above (slurm-loop.json);"
  echo "  the applied script: $out/slurm/apply.sh (undo: bash apply.sh --undo where SLURM_CONF names"
  echo "  the cluster's slurm.conf)."
  exit 0
fi

simulated=0
[ $local_only -eq 0 ] && scripts/simcluster.sh check prefix=$prefix 2>/dev/null && simulated=1

if [ $simulated -eq 1 ]; then
  trap 'scripts/simcluster.sh down prefix=$prefix >/dev/null' EXIT
  scripts/simcluster.sh down prefix=$prefix >/dev/null
  scripts/simcluster.sh up prefix=$prefix degrade=r1n2:100mbit
  run() { scripts/simcluster.sh mpirun prefix=$prefix -- "$@"; }
  echo "== probe: every pair of the 6 nodes, in rounds; the node network (eth0) and the pod network (vx0)"
  run "$topoplan" probe --tcp-iface eth0,vx0 --contention --out "$out/cluster.json" | tee "$out/probe.txt"
  echo "== allreduce across the simulated cluster"
  run "$topoplan" allreduce --algo all --check -b 8 -e 1M -f 8 -w 1 -n 5 --json "$out/allreduce.json" \
    | tee "$out/allreduce.txt"
  cluster="$out/cluster.json"
  gang=(--gang 3 --bytes 16M)
else
  echo "== not root, no network namespaces, or --local: running on 4 local ranks of this machine only"
  run() { mpirun -np 4 --oversubscribe --mca btl self,vader "$@"; }
  run "$topoplan" probe --iters 5 --out "$out/cluster.json" | tee "$out/probe.txt"
  run "$topoplan" allreduce --algo all --check -b 8 -e 16M -f 4 -w 3 -n 10 \
    --json "$out/allreduce.json" | tee "$out/allreduce.txt"
  cluster=tests/data/clusters/alibaba-lingjun-2023-topo.csv
  gang=(--gang 16x8 --level-gbps ASW=50,PSW=25)
fi

echo "== topo: $cluster"
"$topoplan" topo "$cluster" | tee "$out/topology.txt"
"$topoplan" topo "$cluster" --format json --out "$out/topology.json"
"$topoplan" topo "$cluster" --format dot --out "$out/topology.dot"
echo "== place: ${gang[*]}"
"$topoplan" place --cluster "$cluster" "${gang[@]}" --json "$out/plan.json" | tee "$out/plan.txt"
if [ $simulated -eq 1 ]; then
  echo "== verify: the plan's gang and baselines, measured"
  run "$topoplan" verify --plan "$out/plan.json" --json "$out/verify.json" | tee "$out/verify.txt" || true
fi

echo "== export: Slurm topology.conf and the sbatch line for the gang"
"$topoplan" export slurm-tree --cluster "$cluster" --plan "$out/plan.json" --out "$out/topology.conf"
k8s=""
if [ $simulated -eq 1 ]; then  # the Clos's 64-character host names cannot be Kubernetes nodes
  echo "== export: node labels (the Kueue flavor and Volcano's discovery select them), Kueue, Volcano, KAI and coscheduling"
  "$topoplan" export k8s-labels --script --cluster "$cluster" --out "$out/label-nodes.sh"
  "$topoplan" export k8s-labels --cluster "$cluster" --out "$out/node-labels.yaml"
  for kind in kueue volcano kai gang; do
    "$topoplan" export "$kind" --cluster "$cluster" --plan "$out/plan.json" --out "$out/$kind.yaml"
  done
  k8s=", label-nodes.sh, node-labels.yaml, kueue.yaml, volcano.yaml, kai.yaml, gang.yaml"
fi

echo "== compare: this run's allreduce against the earlier runs (out/allreduce-history.jsonl)"
history="$out/allreduce-history.jsonl"
[ -f "$history" ] || : >"$history"
verdict=$("$topoplan" compare "$history" "$out/allreduce.json" --record "$history" \
  --markdown "$out/compare.md" --junit "$out/compare.xml" | grep -v "^# recorded" | tail -1) || true
echo "$verdict"

echo "== report"
reports=("$out/allreduce.json" "$out/cluster.json" "$out/plan.json")
[ -f "$out/verify.json" ] && reports+=("$out/verify.json")
"$topoplan" report "${reports[@]}" --html "$out/report.html" --title "topoplan quickstart"

echo
echo "== summary"
grep -E '^  [0-9]+@' "$out/probe.txt" | sort -g -k5 | head -1 |
  awk '{printf "slowest pair:      %s <-> %s, %s GB/s (%s probe, %s)\n", $1, $2, $5, $3, $4}'
echo "islands found:     $(grep -cE '^  [^ ]+: [0-9]+ hosts' "$out/topology.txt") domains at the finest level shown in $out/topology.txt"
if grep -q '^degraded hosts: none' "$out/topology.txt"; then
  echo "degraded:          none"
else
  grep -A1 '^degraded hosts:' "$out/topology.txt" | tail -1 | sed 's/^ */degraded:          /'
fi
grep -E '^recommended:|^  hosts:' "$out/plan.txt" | sed 's/^recommended: /recommended gang:  /; s/^  hosts: */                   hosts /'
if [ -f "$out/verify.txt" ]; then
  awk '$1 == "gang" {printf "gang measured:     %s us, busbw %s GB/s (predicted %s GB/s, error %s)\n", $4, $6, $5, $7}' "$out/verify.txt"
  awk '/^# gang against/ && $4 !~ /^alternative/ {if (best == "" || $5 + 0 < best + 0) {best = $5; name = $4}} END {if (best != "") printf "against baselines: %s faster than the best baseline (%s)\n", best, name}' "$out/verify.txt"
  grep -E '^# (PASSED|FAILED)' "$out/verify.txt" | sed 's/^# /verify:            /'
fi
{ grep -E '^  tcp over vx0 against tcp over eth0' "$out/topology.txt" || true; } |
  sed 's/^  tcp over vx0 against tcp over eth0, /pod overlay:       /'
echo "against earlier runs: ${verdict#\# }"
echo
echo "Results in $out/: report.html (open it in a browser), cluster.json (probe), allreduce.json,"
echo "  topology.json/.txt/.dot, plan.json/.txt, verify.json/.txt, topology.conf$k8s, compare.md/.xml,"
echo "  allreduce-history.jsonl (each run's allreduce figures: the next run is compared with them)"
