#!/usr/bin/env bash
# bench/verify_matrix.sh [--out DIR] [--shapes N,M,...] (root: it builds simulated clusters):
# predictions against measurements, first shot and after one calibration, over shapes of the
# simulated cluster (shaped and unshaped node links, 2-4 racks of 2-4 nodes, a slow uplink, a slow
# node, the pod overlay on and off). Per shape: the default probe, place (a gang of GANG hosts,
# 16 MB ring), verify (the gang, its alternatives and the baselines), then place --calibrate
# with that verify and verify again. Prints per shape and candidate the predicted and measured
# busbw and the error, both times; then the worst and median |error| and how many are within 10,
# 15 and 25%. Goals: first shot |error| <= 25% (target 15%), after one calibration <= 10%.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
topoplan=$here/build/topoplan
simcluster=$here/scripts/simcluster.sh
out=out/verify-matrix
only=""
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=${2:?}; shift ;;
    --shapes) only=${2:?}; shift ;;
    *) echo "verify_matrix: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
prefix=vmx
"$simcluster" check prefix=$prefix >/dev/null || { echo "verify_matrix: needs root" >&2; exit 2; }
trap '"$simcluster" down prefix=$prefix >/dev/null 2>&1' EXIT

# name | simcluster spec | gang hosts
shapes=(
  "shaped-2x3-slow-node|racks=2 nodes=3 node=2gbit degrade=r1n2:100mbit overlay=0|3"
  "unshaped-2x3-slow-node|racks=2 nodes=3 node=100gbit degrade=r1n2:100mbit overlay=0|3"
  "shaped-3x2-across-racks|racks=3 nodes=2 node=2gbit overlay=0|4"
  "shaped-3x2-slow-uplink|racks=3 nodes=2 node=2gbit degrade=r2:50mbit overlay=0|4"
  "unshaped-2x4-across-racks|racks=2 nodes=4 node=100gbit overlay=0|6"
  "shaped-4x2-overlay|racks=4 nodes=2 node=2gbit degrade=r3n1:100mbit overlay=1|2"
)
rows=$out/rows.tsv
: >"$rows"
index=0
for shape in "${shapes[@]}"; do
  index=$((index + 1))
  if [ -n "$only" ] && [[ ",$only," != *",$index,"* ]]; then continue; fi
  IFS='|' read -r name spec gang <<<"$shape"
  dir=$out/$name
  mkdir -p "$dir"
  "$simcluster" down prefix=$prefix >/dev/null
  # shellcheck disable=SC2086
  "$simcluster" up prefix=$prefix $spec >/dev/null
  run() { "$simcluster" mpirun prefix=$prefix -- "$@"; }
  echo "== $name ($spec), gang of $gang"
  run "$topoplan" probe --out "$dir/cluster.json" >"$dir/probe.txt" 2>&1
  "$topoplan" place --cluster "$dir/cluster.json" --gang "$gang" --bytes 16M --top 1 \
    --json "$dir/plan.json" >"$dir/plan.txt"
  run "$topoplan" verify --plan "$dir/plan.json" --json "$dir/verify.json" >"$dir/verify.txt" 2>&1 ||
    true
  "$topoplan" place --cluster "$dir/cluster.json" --gang "$gang" --bytes 16M --top 1 \
    --calibrate "$dir/verify.json" --json "$dir/plan-calibrated.json" >"$dir/plan-calibrated.txt"
  run "$topoplan" verify --plan "$dir/plan-calibrated.json" --json "$dir/verify-calibrated.json" \
    >"$dir/verify-calibrated.txt" 2>&1 || true
  python3 - "$name" "$dir/verify.json" "$dir/verify-calibrated.json" >>"$rows" <<'PY'
import json, sys
name, first, second = sys.argv[1:4]
def candidates(path):
    out = {}
    for c in json.load(open(path))["candidates"]:
        if c["measured"] is None:
            continue
        out[c["name"]] = (",".join(c["hosts"]), c["predicted"]["busbw_gbps"],
                          c["measured"]["busbw_gbps"], c["error_pct"])
    return out
a, b = candidates(first), candidates(second)
for cand, (hosts, p, m, e) in a.items():
    p2, m2, e2 = (b[cand][1:] if cand in b else ("", "", ""))
    print("\t".join(str(x) for x in (name, cand, hosts, p, m, e, p2, m2, e2)))
PY
  "$simcluster" down prefix=$prefix >/dev/null
done

python3 - "$rows" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print()
print(f"{'shape':28s} {'candidate':14s} {'hosts':22s} {'pred':>8s} {'meas':>8s} {'error':>8s}"
      f"   {'pred':>8s} {'meas':>8s} {'error':>8s}")
print(f"{'':28s} {'':14s} {'':22s} {'first shot (busbw GB/s)':>26s}   {'after one calibration':>26s}")
first, second = [], []
for name, cand, hosts, p, m, e, p2, m2, e2 in rows:
    f = lambda x, fmt: format(float(x), fmt) if x not in ("", "None") else "-"
    print(f"{name:28s} {cand:14s} {hosts[:22]:22s} {f(p, '.4f'):>8s} {f(m, '.4f'):>8s} "
          f"{f(e, '+.1f'):>7s}%   {f(p2, '.4f'):>8s} {f(m2, '.4f'):>8s} {f(e2, '+.1f'):>7s}%")
    if e not in ("", "None"): first.append(abs(float(e)))
    if e2 not in ("", "None"): second.append(abs(float(e2)))
print()
for label, errors, goal in (("first shot", first, 25), ("after one calibration", second, 10)):
    if not errors:
        continue
    within = {limit: sum(1 for x in errors if x <= limit) for limit in (10, 15, 25)}
    print(f"{label:22s}: |error| median {statistics.median(errors):.1f}%, worst {max(errors):.1f}%;"
          f" within 10% {within[10]}/{len(errors)}, 15% {within[15]}/{len(errors)},"
          f" 25% {within[25]}/{len(errors)} (goal: all within {goal}%)")
PY
echo "verify_matrix: per shape: $out/NAME/{cluster,plan,verify,verify-calibrated}.json"
