#!/usr/bin/env bash
# quickstart_local.sh SOURCE OUTDIR: scripts/quickstart.sh --local (the path a user without root
# takes) exits 0; its probe document is one host, which topo, place --gang 1 and report accept.
set -uo pipefail
source=$1 outdir=$2/quickstart-local
command -v mpirun >/dev/null || { echo "SKIP: mpirun not found"; exit 77; }
fail() { echo "FAILED: $*"; exit 1; }
rm -rf "$outdir"
"$source/scripts/quickstart.sh" --local --out "$outdir" >"$outdir.log" 2>&1
code=$?
tail -25 "$outdir.log"
[ "$code" -eq 0 ] || fail "quickstart --local exited $code"
grep -q "running on 4 local ranks" "$outdir.log" || fail "did not run locally"
[ -s "$outdir/report.html" ] || fail "no report"
topoplan=$source/build/topoplan
text=$("$topoplan" topo "$outdir/cluster.json") || fail "topo refused the one-host document"
grep -q "1 hosts, .* 0 level(s)" <<<"$text" || fail "topo: $text"
grep -q "one host (the ranks of a single server)" <<<"$text" || fail "topo does not say one host"
plan=$("$topoplan" place --cluster "$outdir/cluster.json" --gang 1) || fail "place --gang 1 failed"
grep -q "^  hosts:      $(hostname)" <<<"$plan" || fail "place: $plan"
echo "OK: the quickstart ran on local ranks and its one-host document is a cluster"
