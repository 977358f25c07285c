#!/usr/bin/env bash
# kept_calibration.sh TOPOPLAN DATA: place --calibrate --keep-calibration keeps the calibration
# beside a copy of a probe document; a later place applies it (the same prediction as with
# --calibrate, the plan naming the verify and when), export says so; once the document changes
# (probed again) it is ignored and said so, and place predicts as uncalibrated.
set -uo pipefail
topoplan=$1 data=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAILED: $*"; exit 1; }
cp "$data/verify/probe-racks.json" "$work/cluster.json"
predicted() { sed -n 's/^  predicted: .*busbw \([0-9.]*\) GB\/s$/\1/p' "$1"; }
"$topoplan" place --cluster "$work/cluster.json" --gang 3 >"$work/plain.txt" || fail "place"
"$topoplan" place --cluster "$work/cluster.json" --gang 3 --calibrate "$data/verify/verify-racks.json" \
  --keep-calibration >"$work/calibrated.txt" || fail "place --calibrate --keep-calibration"
[ -f "$work/cluster.json.calibration.json" ] || fail "no calibration kept beside the cluster"
"$topoplan" place --cluster "$work/cluster.json" --gang 3 --json "$work/plan.json" >"$work/kept.txt" ||
  fail "place with the kept calibration"
grep -q "^# calibrated (kept in $work/cluster.json.calibration.json on .*, from $data/verify/verify-racks.json): host links x" \
  "$work/kept.txt" || fail "place does not say it applied the kept calibration: $(head -3 "$work/kept.txt")"
[ "$(predicted "$work/kept.txt")" = "$(predicted "$work/calibrated.txt")" ] ||
  fail "kept: $(predicted "$work/kept.txt") GB/s, with --calibrate $(predicted "$work/calibrated.txt")"
[ "$(predicted "$work/kept.txt")" != "$(predicted "$work/plain.txt")" ] ||
  fail "the kept calibration changed no prediction"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["calibration"]; sys.exit(0 if c["kept"].endswith(".calibration.json") and c["kept_utc"] and c["files"] else 1)' \
  "$work/plan.json" || fail "the plan does not say when and by which verify it was calibrated"
"$topoplan" export slurm-tree --cluster "$work/cluster.json" --out "$work/t.conf" 2>"$work/export.err" ||
  fail "export"
grep -q "^# calibrated (kept in" "$work/export.err" || fail "export does not say it applied it"
echo "OK: kept, applied by place (same prediction as --calibrate) and noted by export"
sleep 0.01
touch "$work/cluster.json"
"$topoplan" place --cluster "$work/cluster.json" --gang 3 >"$work/stale.txt" || fail "place (stale)"
grep -q "ignored: $work/cluster.json changed since it was kept" "$work/stale.txt" ||
  fail "a stale calibration was not said to be ignored"
[ "$(predicted "$work/stale.txt")" = "$(predicted "$work/plain.txt")" ] || fail "a stale calibration applied"
echo "OK: once the cluster document changes the calibration is ignored, and said so"
