#!/usr/bin/env bash
# The whole loop through a real Slurm on a simulated cluster (root; scripts/simcluster.sh with
# slurm=1), and what Slurm's own choice is before and after topoplan's hints:
#   1. the probe job of `export slurm-job` over every node, with sbatch --wait; topo;
#   2. Slurm's own choice for `sbatch -N K --exclusive` (K: a rack's size) under the declared
#      topology (the racks as built);
#   3. `export slurm-apply --degraded weight` applied (topoplan's topology.conf, the degraded host
#      weighted last; weights rather than a drain, so that verify can still measure the first
#      choice, degraded host and all), then Slurm's own choice again;
#   4. place --free from the live `scontrol show node -d`, with both choices as candidates;
#      the verify job of `export slurm-job` through sbatch measures the gang, the baselines and
#      both choices;
#   5. slurm-loop.json: each choice's nodes, predicted and measured busbw.
#
#   scripts/slurm-loop.sh [--out DIR] [--prefix P] [--racks R] [--nodes N] [--topoplan BIN] [--subnet 10.N] [--keep]
# Defaults: out/slurm, prefix tpsl, 2 racks of 3 nodes, r1n2 degraded, build/topoplan. The
# cluster is removed whatever happens, except with --keep when the loop succeeded (then:
# scripts/simcluster.sh down prefix=P).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=out/slurm prefix=tpsl racks=2 nodes=3 topoplan=$here/../build/topoplan keep=0 subnet=10.251
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=${2:?}; shift ;;
    --prefix) prefix=${2:?}; shift ;;
    --racks) racks=${2:?}; shift ;;
    --nodes) nodes=${2:?}; shift ;;
    --topoplan) topoplan=${2:?}; shift ;;
    --keep) keep=1 ;;
    --subnet) subnet=${2:?}; shift ;;
    *) echo "slurm-loop: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
topoplan=$(realpath "$topoplan")
mkdir -p "$out"
out=$(cd "$out" && pwd)
simcluster() { "$here/simcluster.sh" "$1" prefix="$prefix" "${@:2}"; }
head_run() { simcluster head -- "$@"; }

trap 'simcluster down >/dev/null' EXIT
simcluster down >/dev/null
simcluster up racks="$racks" nodes="$nodes" subnet="$subnet" slurm=1 overlay=0 degrade=r1n2:100mbit
cd "$out"
# This loop's files from an earlier run.
rm -f ./*.out probe.sh cluster.json topology.txt apply.sh apply.txt scontrol-nodes.txt plan.json \
  plan.txt verify.sh verify.json verify.txt slurm-loop.json

echo "== probe: the export slurm-job script, sbatch --wait"
"$topoplan" export slurm-job --nodes "r[1-$racks]n[1-$nodes]" --topoplan-bin "$topoplan" \
  --out probe.sh -- probe --out cluster.json >/dev/null
head_run sbatch --wait probe.sh
"$topoplan" topo cluster.json | tee topology.txt

# choice LABEL: the nodes Slurm gives sbatch -N $nodes --exclusive (a job that only starts).
choice() {
  local id
  id=$(head_run sbatch --parsable --wait -N "$nodes" --exclusive -J "$1" -o "$1-%j.out" \
    --wrap "srun true")
  head_run scontrol show job "$id" | sed -n 's/^ *NodeList=\([^ ]*\).*/\1/p'
}
echo "== Slurm's own choice for sbatch -N $nodes under the declared topology (racks as built)"
declared=$(choice slurm-declared)
echo "$declared"

echo "== export slurm-apply --degraded weight, applied"
"$topoplan" export slurm-apply --cluster cluster.json --degraded weight --out apply.sh >/dev/null
head_run bash apply.sh | tee apply.txt
echo "== Slurm's own choice for sbatch -N $nodes after the hints"
hinted=$(choice slurm-hinted)
echo "$hinted"

echo "== place --free from the live scontrol show node -d, with both choices as candidates"
head_run scontrol show node -d -o >scontrol-nodes.txt
"$topoplan" place --cluster cluster.json --gang "${nodes}x8" --bytes 4M --free scontrol-nodes.txt \
  --candidate "slurm-declared=$declared" --candidate "slurm-hinted=$hinted" --json plan.json |
  tee plan.txt
echo "== verify: the export slurm-job script, sbatch --wait"
"$topoplan" export slurm-job --cluster cluster.json --plan plan.json --topoplan-bin "$topoplan" \
  --out verify.sh -- verify --plan plan.json -w 1 -n 5 --json verify.json >/dev/null
head_run sbatch --wait verify.sh || true
cat topoplan-verify-*.out >verify.txt
[ -f verify.json ] || { echo "slurm-loop: verify wrote no document (verify.txt)" >&2; exit 1; }

python3 - "$declared" "$hinted" <<'PY'
import json, sys
declared, hinted = sys.argv[1:3]
verify = json.load(open("verify.json"))
rows = []
for name, label in (("slurm-declared", "Slurm, declared topology"),
                    ("slurm-hinted", "Slurm, after the hints"), ("gang", "topoplan's gang")):
    c = next(c for c in verify["candidates"] if c["name"] == name)
    measured = c["measured"]["busbw_gbps"] if c["measured"] else None
    rows.append({"name": name, "label": label, "hosts": c["hosts"],
                 "predicted_busbw_gbps": c["predicted"]["busbw_gbps"],
                 "measured_busbw_gbps": measured, "error_pct": c["error_pct"]})
json.dump({"schema": "topoplan.slurm-loop/v1", "bytes": verify["collective"]["bytes"],
           "choices": rows}, open("slurm-loop.json", "w"), indent=2)
print(f"ring AllReduce of {verify['collective']['bytes']} bytes, busbw in GB/s")
print(f"{'':26s} {'nodes':24s} {'predicted':>10s} {'measured':>10s} {'error':>8s}")
for r in rows:
    m = "-" if r["measured_busbw_gbps"] is None else f"{r['measured_busbw_gbps']:.4f}"
    e = "-" if r["error_pct"] is None else f"{r['error_pct']:+.1f}%"
    print(f"{r['label']:26s} {','.join(r['hosts']):24s} {r['predicted_busbw_gbps']:10.4f} "
          f"{m:>10s} {e:>8s}")
before, after = rows[0]["measured_busbw_gbps"], rows[1]["measured_busbw_gbps"]
if before and after:
    print(f"after the hints, Slurm's own choice measures {after / before:.1f}x its choice before")
PY
[ "$keep" = 0 ] || trap - EXIT
echo "slurm-loop: results in $out (slurm-loop.json, verify.json, plan.json, apply.sh, cluster.json)"
