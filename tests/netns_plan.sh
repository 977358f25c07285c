#!/usr/bin/env bash
# netns_plan.sh SIMCLUSTER TOPOPLAN OUTDIR: on a simulated cluster of 2 racks x 3 nodes with node
# r1n2 degraded, `topo` on the probe document must find the two racks (r1n2 in its rack, or placed
# nowhere when latency cannot place it: never in the other rack) and the degraded node, and
# `place` must keep a 3-host gang inside the healthy rack, and slurmctld must read the exported
# topology.conf as one switch per rack. Tears the cluster down, also on failure.
set -uo pipefail
simcluster=$1 topoplan=$2 outdir=$3
prefix="tp$(( RANDOM % 9000 + 1000 ))"
why=$("$simcluster" check prefix="$prefix" 2>&1) || { echo "SKIP: $why"; exit 77; }
trap '"$simcluster" down prefix="$prefix" >/dev/null 2>&1' EXIT
mkdir -p "$outdir"
json="$outdir/netns-plan-probe.json"
rm -f "$json"
"$simcluster" up prefix="$prefix" racks=2 nodes=3 degrade=r1n2:100mbit subnet=10.253 || exit 1
probe() {
  timeout 240 "$simcluster" mpirun prefix="$prefix" subnet=10.253 -- \
    "$topoplan" probe --paths mpi --sizes 64K,1M --iters 3 --window 4 --out "$json" >/dev/null
}
probe || exit 1
topo=$("$topoplan" topo "$json") || exit 1
# On a loaded 2-core machine a probe is now and then too noisy for inference to find any level
# (bench/inference_truth: 2 of 50 seeds of this kind): then one more probe, said so.
if echo "$topo" | grep -q '(measured): .* 0 level(s)$'; then
  echo "$topo" | head -2
  echo "no level found in this probe's noise: probing once more"
  probe || exit 1
  topo=$("$topoplan" topo "$json") || exit 1
fi
echo "$topo"
fail() { echo "FAILED: $*"; exit 1; }
echo "$topo" | grep -Eq '^  i[12]: (3 hosts r1n\[1-3\]|2 hosts r1n\[1,3\])(,|$)' || fail "rack 1 not found as an island"
if ! echo "$topo" | grep -Eq '^  i[12]: 3 hosts r1n\[1-3\]'; then
  echo "$topo" | grep -Eq '^  r1n2: degraded, placed nowhere: ' || fail "r1n2 neither in its rack nor placed nowhere"
fi
echo "$topo" | grep -Eq '^  i[12]: 3 hosts r2n\[1-3\](,|$)' || fail "rack 2 not found as an island"
echo "$topo" | grep -Eq '^  r1n2: its best link measures' || fail "r1n2 not found degraded"
place=$("$topoplan" place --cluster "$json" --gang 3 --bytes 4M --json "$outdir/netns-plan.json") || exit 1
echo "$place"
echo "$place" | grep -Eq '^  hosts: +r2n\[1-3\]$' || fail "the gang is not the healthy rack r2"
echo "OK: racks and the degraded node found; gang inside the healthy rack"
# The plan measured: the gang is not slower than any baseline (verify exits 0).
verify=$(timeout 240 "$simcluster" mpirun prefix="$prefix" subnet=10.253 -- \
  "$topoplan" verify --plan "$outdir/netns-plan.json" -w 1 -n 5 --json "$outdir/netns-verify.json" 2>&1) ||
  { echo "$verify"; fail "verify failed"; }
echo "$verify"
echo "$verify" | grep -q '^# PASSED' || fail "verify did not pass"
echo "$verify" | grep -Eq '^  gang +3 ' || fail "the gang was not measured on its 3 nodes"
# The measured structure as Slurm reads it: a switch per island, one of its own for a host placed
# nowhere, and the root over them.
switches=3
echo "$topo" | grep -q '^placed nowhere:' && switches=4
"$(dirname "$0")/export_slurm.sh" "$topoplan" "$json" $switches || fail "slurmctld does not read the export"
