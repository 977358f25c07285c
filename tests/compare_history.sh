#!/usr/bin/env bash
# compare over histories, --record, --history (change points) and topoplan ab, as a user runs
# them: on the recorded A/A history of this project's machine and on a planted shift.
#   compare_history.sh TOPOPLAN DATA_DIR
set -euo pipefail
topoplan=$1
data=$2/compare
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A history of 96 A/A runs: the last judged against the 95 before it.
out=$("$topoplan" compare "$data/aa-quiet.jsonl") || fail "A/A history: exit $?"
grep -q "runs=95/1" <<<"$out" || fail "expected 95 baseline runs: $out"
grep -q "0 regressed" <<<"$out" || fail "A/A history regressed: $out"

# Plant a 30% drop of every metric in the last run.
python3 - "$data/aa-quiet.jsonl" "$work/planted.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
for m in lines[-1]["metrics"]:
    m["value"] *= 0.7
    m["sample_values"] = [v * 0.7 for v in m["sample_values"]]
open(sys.argv[2], "w").write("".join(json.dumps(r) + "\n" for r in lines))
PY
set +e
out=$("$topoplan" compare "$work/planted.jsonl" --junit "$work/junit.xml"); code=$?
set -e
[ $code = 1 ] || fail "a 30% drop of the last run: exit $code, expected 1: $out"
grep -q "^regressed .*runs=95/1" <<<"$out" || fail "no regression: $out"
grep -q "<failure" "$work/junit.xml" || fail "junit has no failure"

# Change points: 40 runs with 3% noise, metric x 20% slower from run 26 on, metric y flat.
python3 - "$work/step.jsonl" <<'PY'
import json, random, sys
random.seed(7)
with open(sys.argv[1], "w") as f:
    for i in range(40):
        metrics = [{"key": key, "unit": "busbw_gbps", "noise": 0.03, "samples": 0, "sample_values": [],
                    "value": base * random.lognormvariate(0, 0.03)}
                   for key, base in (("x", 10 if i < 25 else 8), ("y", 5))]
        f.write(json.dumps({"schema": "topoplan.run/v1", "source": "run-%02d.json" % (i + 1),
                            "recorded_utc": "", "kind": "allreduce", "metrics": metrics}) + "\n")
PY
out=$("$topoplan" compare --history "$work/step.jsonl" --json "$work/cp.json")
grep -Eq "^  26 +run-26.json .* -(1[5-9]|2[0-5])\.[0-9]%.* x \(busbw_gbps\)" <<<"$out" ||
  fail "the planted shift at run 26 was not found: $out"
grep -q "^# 1 change point" <<<"$out" || fail "a change point where none was planted: $out"
python3 - "$work/cp.json" <<'PY' || fail "change point document"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "topoplan.changepoints/v1"
[c] = d["change_points"]
assert c["metric"] == "x" and c["run"] == 26 and c["p_value"] < 0.01, c
PY
"$topoplan" compare --history "$data/aa-quiet.jsonl" | grep -q "change point(s)" ||
  fail "change points over the recorded history"

# --record appends; on an empty history it records and compares nothing; two recorded runs are a
# history of two baseline runs.
touch "$work/h.jsonl"
out=$("$topoplan" compare "$work/h.jsonl" "$data/samples-rerun.json" --record "$work/h.jsonl")
grep -q "no baseline run yet" <<<"$out" || fail "an empty history: $out"
out=$("$topoplan" compare "$data/samples-baseline.json" "$data/samples-baseline.json" \
  --record "$work/h.jsonl")
grep -q "between-run noise is unknown" <<<"$out" || fail "one baseline run without the note: $out"
[ "$(wc -l <"$work/h.jsonl")" = 2 ] || fail "expected 2 recorded runs"
out=$("$topoplan" compare "$work/h.jsonl" "$data/samples-rerun.json") || true
grep -q "runs=2/1" <<<"$out" || fail "two recorded runs are not a history: $out"
set +e
out=$("$topoplan" compare "$data/samples-baseline.json" "$data/samples-rerun.json" \
  --record "$data/samples-baseline.json" 2>&1); code=$?
set -e
[ $code = 2 ] && grep -q "not a topoplan.run/v1 history" <<<"$out" || fail "record onto a document: $code $out"
printf '%s\n{"schema": "topoplan.run/v1"}\n' "$(head -1 "$work/h.jsonl")" >"$work/bad.jsonl"
set +e
out=$("$topoplan" compare "$work/bad.jsonl" "$data/samples-rerun.json" 2>&1); code=$?
set -e
[ $code = 2 ] && grep -q "bad.jsonl:2.source: missing" <<<"$out" || fail "a bad history line: $code $out"

# ab: A and B alternate; B 23% slower in one record is a regression of every pair.
set +e
out=$("$topoplan" ab --a "cp $data/samples-baseline.json {out}" \
  --b "cp $data/samples-one-slower.json {out}" --runs 3 --out "$work/ab" --markdown "$work/ab.md"); code=$?
set -e
[ $code = 1 ] || fail "ab with a slower B: exit $code: $out"
grep -q "^regressed .*pairs=3 .*in-place 1048576" <<<"$out" || fail "ab: $out"
grep -q "^# run 2/6 b-001: exit 0" <<<"$out" && grep -q "^# run 3/6 b-002" <<<"$out" ||
  fail "ab did not alternate A B B A: $out"
[ -f "$work/ab/a-003.json" ] && [ -f "$work/ab/b-003.log" ] || fail "ab kept no documents"
grep -q "regression" "$work/ab.md" || fail "ab markdown"
"$topoplan" ab --a "cp $data/samples-baseline.json {out}" --b "cp $data/samples-baseline.json {out}" \
  --runs 2 --out "$work/aa" | grep -q "0 regressed" || fail "ab A/A"
set +e
out=$("$topoplan" ab --a "cp $data/samples-baseline.json {out}" --b "false {out}" --runs 2 \
  --out "$work/f" 2>&1); code=$?
set -e
[ $code = 3 ] && grep -q "exited with status 1" <<<"$out" || fail "a failing run: $code $out"
set +e
out=$("$topoplan" ab --a "true" --b "true" 2>&1); code=$?
set -e
[ $code = 2 ] && grep -q "has no {out}" <<<"$out" || fail "no {out}: $code $out"
echo "compare history, change points, record and ab: ok"
