#!/usr/bin/env bash
# The default probe on simulated clusters (scripts/simcluster.sh, needs root) of 4, 8 and 12
# nodes in 2 or 3 racks, each healthy and with one node whose link is 50x slower (r1n2 at 40
# Mbit/s against 2 Gbit/s): wall time, rounds, retest rounds and pairs measured per run, and the
# slow cluster's wall time against the healthy one's.
#
#   bench/probe_scaling.sh [BUILD_DIR] [--sizes 4,8,12] [--serial]
#
# Goals (issue: probe methodology): every run exits 0; the slow node costs at most 2x the healthy
# wall time; wall time grows about linearly with N (rounds: N-1 per path); 8 nodes in 3 racks
# under 90 s with default options. With --serial it also runs every cluster's probe with
# --serial and prints how the latencies measured in rounds compare with those measured alone
# (pairs without the slow node; goal: within 2x).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$here/build
sizes="4 8 12"
serial=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=${2//,/ }; shift ;;
    --serial) serial=1 ;;
    *) build=$1 ;;
  esac
  shift
done
simcluster=$here/scripts/simcluster.sh
prefix=pbench
if ! why=$("$simcluster" check prefix=$prefix 2>&1); then
  echo "SKIP: $why"
  exit 0
fi
out=$(mktemp -d)
trap '"$simcluster" down prefix=$prefix >/dev/null 2>&1; rm -rf "$out"' EXIT

shape_of() {  # shape_of N: simcluster keys for N nodes
  case "$1" in
    4) echo "racks=2 nodes=2" ;;
    8) echo "racks=3 nodes=3,3,2" ;;
    12) echo "racks=3 nodes=4" ;;
    *) echo "racks=2 nodes=$(($1 / 2))" ;;
  esac
}

# field FILE EXPRESSION: a figure of a cluster document (python3 reads the JSON).
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

printf '%6s %-20s %-6s %5s %9s %7s %8s %7s %8s %6s\n' nodes shape slow exit "wall (s)" rounds retests pairs "s/node" "slow/ok"
for n in $sizes; do
  declare -A wall=()
  for variant in ok slow; do
    degrade=""
    [ $variant = slow ] && degrade="degrade=r1n2:40mbit"
    # shellcheck disable=SC2046
    "$simcluster" up prefix=$prefix $(shape_of "$n") $degrade >/dev/null || exit 1
    json=$out/probe-$n-$variant.json
    start=$(date +%s.%N)
    timeout 900 "$simcluster" mpirun prefix=$prefix -- "$build/topoplan" probe --out "$json" \
      >"$out/probe-$n-$variant.log" 2>&1
    code=$?
    seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
    if [ $serial = 1 ]; then
      timeout 1800 "$simcluster" mpirun prefix=$prefix -- "$build/topoplan" probe --serial \
        --out "$out/serial-$n-$variant.json" >/dev/null 2>&1
    fi
    "$simcluster" down prefix=$prefix >/dev/null
    wall[$variant]=$seconds
    if [ $code -ne 0 ] || [ ! -s "$json" ]; then
      printf '%6d %-20s %-6s %5d %9s\n' "$n" "$(shape_of "$n")" "$variant" "$code" "$seconds"
      continue
    fi
    rounds=$(field "$json" "sum(p['rounds'] for p in d['paths'])")
    retests=$(field "$json" "sum(p['retest_rounds'] for p in d['paths'])")
    pairs=$(field "$json" "len(d['links']) + sum(1 for l in d['links'] if l['measured_alone'])")
    ratio="-"
    [ $variant = slow ] && ratio=$(awk -v a="${wall[slow]}" -v b="${wall[ok]}" 'BEGIN {printf "%.2fx", a / b}')
    printf '%6d %-20s %-6s %5d %9s %7s %8s %7s %8.2f %6s\n' "$n" "$(shape_of "$n")" "$variant" \
      "$code" "$seconds" "$rounds" "$retests" "$pairs" "$(awk -v s="$seconds" -v n="$n" 'BEGIN {print s / n}')" "$ratio"
  done
done

if [ $serial = 1 ]; then
  echo
  echo "latency measured in rounds against alone (--serial), pairs without the slow node:"
  for json in "$out"/probe-*.json; do
    name=$(basename "$json" .json)
    serial_json=$out/serial-${name#probe-}.json
    [ -s "$serial_json" ] || continue
    python3 - "$json" "$serial_json" "$name" <<'PY'
import json, statistics, sys
def latencies(path):
    doc = json.load(open(path))
    out = {}
    for link in doc["links"]:
        if link["host_a"] == link["host_b"] or "r1n2" in (link["host_a"], link["host_b"]):
            continue
        first = link.get("concurrent", link)
        out[(link["probe"], link.get("iface"), link["host_a"], link["host_b"])] = first["lat_us"]["median"]
    return out
rounds, alone = latencies(sys.argv[1]), latencies(sys.argv[2])
ratios = sorted(rounds[k] / alone[k] for k in rounds if k in alone and alone[k] > 0)
if ratios:
    within = sum(1 for r in ratios if 0.5 <= r <= 2) / len(ratios)
    print(f"  {sys.argv[3]:<16} {len(ratios):4d} pairs: median {statistics.median(ratios):.2f}x, "
          f"p10 {ratios[len(ratios) // 10]:.2f}x, p90 {ratios[9 * len(ratios) // 10]:.2f}x, "
          f"{100 * within:.0f}% within 2x")
PY
  done
fi
