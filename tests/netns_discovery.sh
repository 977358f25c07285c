#!/usr/bin/env bash
# netns_discovery.sh SIMCLUSTER TOPOPLAN OUTDIR: on a simulated cluster of 3 racks x 4 nodes with
# node r1n2 degraded, the two-stage probe (--pairs discover: the discovery pass, then the pairs
# sampled within what it found) and the probe of every pair (each alone) give `topo` the racks as
# built and the degraded node, the two-stage one from fewer pairs. Tears the cluster down, also on failure.
set -uo pipefail
simcluster=$1 topoplan=$2 outdir=$3
prefix="td$(( RANDOM % 9000 + 1000 ))"
why=$("$simcluster" check prefix="$prefix" 2>&1) || { echo "SKIP: $why"; exit 77; }
trap '"$simcluster" down prefix="$prefix" >/dev/null 2>&1' EXIT
mkdir -p "$outdir"
fail() { echo "FAILED: $*"; exit 1; }
"$simcluster" up prefix="$prefix" racks=3 nodes=4 degrade=r1n2:100mbit subnet=10.248 || exit 1
declare -A structure links
# Every pair alone (--serial: 12 namespaces on a small machine measure concurrent pairs with
# the noise of a shared CPU), and the two stages with their concurrent rounds.
for pairs in all discover; do
  json="$outdir/netns-$pairs.json"
  rm -f "$json"
  serial=()
  [ "$pairs" = all ] && serial=(--serial)
  out=$(timeout 240 "$simcluster" mpirun prefix="$prefix" subnet=10.248 -- \
    "$topoplan" probe --paths mpi --pairs "$pairs" "${serial[@]}" --sizes 64K,1M --iters 3 \
    --window 4 --out "$json" 2>&1) || { echo "$out"; fail "probe --pairs $pairs"; }
  echo "$out" | grep -E '^(topoplan probe: (discovery|sampled)|# topoplan probe:)'
  topo=$("$topoplan" topo "$json") || fail "topo on the $pairs probe"
  echo "$topo" | grep -Ev '^  i[0-9]+:' | head -3
  # The islands' host lists (figures left out) and the degraded hosts, in order.
  structure[$pairs]=$(echo "$topo" | sed -nE 's/^  i[0-9]+: ([0-9]+ hosts [^,]+(,[^ ,]+)*),? .*/\1/p;
    s/^  ([a-z0-9]+): its best link measures .*/degraded \1/p' | sort)
  links[$pairs]=$(grep -c '"host_a"' "$json")
done
echo "every pair: ${structure[all]//$'\n'/; } (${links[all]} links)"
echo "two-stage:  ${structure[discover]//$'\n'/; } (${links[discover]} links)"
built=$'3 hosts r1n[1,3-4]\n4 hosts r2n[1-4]\n4 hosts r3n[1-4]\ndegraded r1n2'
[ "${structure[all]}" = "$built" ] || fail "every pair: not the racks as built"
[ "${structure[all]}" = "${structure[discover]}" ] || fail "the two-stage probe found another structure"
[ "${links[discover]}" -lt "${links[all]}" ] || fail "the two-stage probe measured no fewer pairs"
# Racks, and perhaps a finer split the first pass then does not confirm (the racks themselves are
# compared above): the discovery's noise on a 2-core machine.
grep -Eq '"levels_found": [1-9]' "$outdir/netns-discover.json" || fail "the discovery pass found no racks"
echo "OK: the two-stage probe and every pair find the same racks and degraded node"
