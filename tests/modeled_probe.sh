#!/usr/bin/env bash
# modeled_probe.sh TOPOPLAN FABRIC OUTDIR: `probe --fabric` on a modeled fabric of 192 hosts (3
# pods of 4 racks of 16, one slow host) without a declared topology: the discovery pass runs and
# finds both levels, the first pass is sampled, the document is marked modeled with the probe's
# modeled time and says what the discovery pass did, and `topo` on it finds the 3 pods, the 12
# racks and the slow host.
set -uo pipefail
topoplan=$1 fabric=$2 outdir=$3
mkdir -p "$outdir"
json="$outdir/modeled-probe.json"
rm -f "$json"
fail() { echo "FAILED: $*"; exit 1; }
out=$("$topoplan" probe --fabric "$fabric" --out "$json" 2>&1) || { echo "$out"; fail "probe --fabric"; }
echo "$out" | grep -v '^  '
echo "$out" | grep -Eq '^# discovery pass: [0-9]+ pairs in [0-9]+ rounds, 2 level\(s\) found: sampled' ||
  fail "no discovery pass that found 2 levels"
echo "$out" | grep -Eq '^topoplan probe: sampled mode: [0-9]+ of 18336 pairs' || fail "not sampled"
grep -q '"modeled": true' "$json" || fail "the document is not marked modeled"
grep -Eq '"modeled_wall_s": [0-9.]+' "$json" || fail "no modeled_wall_s"
grep -Eq '"levels_found": 2' "$json" || fail "the document does not say what discovery found"
topo=$("$topoplan" topo "$json") || fail "topo"
echo "$topo" | grep -v '^  i'
echo "$topo" | grep -q '^level island-1: 3 domain(s)' || fail "the pods not found"
echo "$topo" | grep -q '^level island-2: 12 domain(s)' || fail "the racks not found"
echo "$topo" | grep -Eq '^  p1r2n5: its best link measures' || fail "the slow host not found"
echo "OK: discovery, sampled first pass, pods, racks and the slow host"
