#!/usr/bin/env bash
# netns_probe.sh SIMCLUSTER TOPOPLAN VALIDATOR OUTDIR: brings up a 2 x 2 simulated cluster under
# a prefix of its own, runs `topoplan probe` across it, checks that every pair inside a rack
# measures at least 5x every pair across racks and that each node has its own hostname, then
# tears the cluster down (also on failure) and checks nothing is left.
set -uo pipefail
simcluster=$1 topoplan=$2 validator=$3 outdir=$4
prefix="tt$(( RANDOM % 9000 + 1000 ))"
why=$("$simcluster" check prefix="$prefix" 2>&1) || { echo "SKIP: $why"; exit 77; }
teardown() {
  "$simcluster" down prefix="$prefix" >/dev/null 2>&1
  if "$simcluster" status prefix="$prefix" >/dev/null 2>&1; then
    echo "FAILED: teardown left namespaces, bridges or veths with prefix $prefix"
    exit 1
  fi
}
trap teardown EXIT
mkdir -p "$outdir"
json="$outdir/netns-probe.json"
rm -f "$json"
"$simcluster" up prefix="$prefix" racks=2 nodes=2 node=2gbit uplink=200mbit subnet=10.252 || exit 1
timeout 240 "$simcluster" mpirun prefix="$prefix" subnet=10.252 -- \
  "$topoplan" probe --paths mpi,tcp,gpu,ib --sizes 1M --iters 3 --window 4 --out "$json" || exit 1
"$validator" "$json" 4 gpu,ib --racks 5 || exit 1
