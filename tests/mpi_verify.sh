#!/usr/bin/env bash
# mpi_verify.sh TOPOPLAN OUTDIR: `verify` under mpirun on this machine's 3 ranks: a plan whose
# gang and best-fit baseline are this host (measured once), and whose spread baseline names a
# host no rank runs on (not measured, said so) passes with exit 0 and writes a verify document;
# a plan whose gang names a host without a rank is bad usage (exit 2, the host named, nothing
# written).
set -uo pipefail
topoplan=$1 outdir=$2
command -v mpirun >/dev/null || { echo "SKIP: mpirun not found"; exit 77; }
mkdir -p "$outdir"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
host=$(hostname)
plan() {  # plan GANG_HOST SPREAD_HOST
  cat <<JSON
{"schema": "topoplan.plan/v1", "cluster": "this machine",
 "request": {"hosts": 1, "gpus_per_host": 0, "pattern": "ring", "bytes": 262144},
 "gang": {"hosts": ["$1"], "domain": "(whole cluster)", "predicted": {"time_us": 100.0, "busbw_gbps": 3.5}},
 "alternatives": [],
 "baselines": [{"name": "best-fit", "hosts": ["$1"], "predicted": {"time_us": 100.0, "busbw_gbps": 3.5}},
               {"name": "spread", "hosts": ["$2"], "predicted": {"time_us": 900.0, "busbw_gbps": 0.4}}]}
JSON
}
fail() { echo "FAILED: $*"; exit 1; }
plan "$host" "elsewhere" >"$outdir/verify-plan.json"
json="$outdir/verify.json"
rm -f "$json"
output=$(timeout 240 mpirun -np 3 --oversubscribe --mca btl self,vader "$topoplan" verify \
  --plan "$outdir/verify-plan.json" -w 1 -n 4 --json "$json" 2>&1)
code=$?
echo "$output"
[ "$code" -eq 0 ] || fail "verify exited $code, expected 0"
grep -Eq "^  gang +3 .*$host" <<<"$output" || fail "the gang was not measured on 3 ranks"
grep -q "(= gang)" <<<"$output" || fail "best-fit is not measured as the gang"
grep -q "not measured: no rank was launched on elsewhere" <<<"$output" || fail "no note for spread"
grep -q '"schema": "topoplan.verify/v1"' "$json" || fail "no verify document"
grep -q '"samples_us"' "$json" || fail "the document keeps no samples"
plan "nowhere" "elsewhere" >"$outdir/verify-plan-nowhere.json"
rm -f "$outdir/verify-nowhere.json"
output=$(timeout 240 mpirun -np 2 --oversubscribe --mca btl self,vader "$topoplan" verify \
  --plan "$outdir/verify-plan-nowhere.json" -w 1 -n 2 --json "$outdir/verify-nowhere.json" 2>&1)
code=$?
echo "$output"
[ "$code" -eq 2 ] || fail "a plan whose gang has no launched host exited $code, expected 2"
grep -q "gang.hosts: nowhere not among the job's hosts ($host)" <<<"$output" ||
  fail "the error does not name the missing host"
grep -q "PASSED" <<<"$output" && fail "a verify that measured nothing says PASSED"
[ ! -e "$outdir/verify-nowhere.json" ] || fail "a document was written for a plan the job cannot run"
echo "OK: verify measured the gang once for two names, noted the host without ranks, and refuses (exit 2) a gang whose hosts have no rank"
