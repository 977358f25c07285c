#!/usr/bin/env bash
# `topoplan replay` against Slurm's own scheduler (root; scripts/simcluster.sh with slurm=1):
#   1. a small trace (--jobs gang jobs of whole nodes, 1 node to all 6, runs of 2 to 8 s,
#      arrivals about 1.5 s apart, drawn from --seed) is submitted to a real Slurm on a simulated
#      cluster of 2 racks x 3 nodes, each job at its time: sbatch -N K --exclusive --wrap "sleep S";
#   2. Slurm's own record of each job (jobcomp/filetxt: submit, start, end, nodes) becomes a trace
#      in sacct's format, whose compute time is what the job ran in Slurm (End - Start);
#   3. topoplan replay of that trace on 6 nodes of 8 GPUs, with the queue rule Slurm ran
#      (sched/builtin: --queue fifo; sched/backfill: --queue easy), writes every job's start
#      (--jobs-csv);
#   4. slurm-replay.json and the lines printed: per job Slurm's start and the replay's, the
#      differences (median, p90, max), and how many pairs of jobs the two start in another order.
#
#   scripts/slurm-replay-check.sh [--out DIR] [--jobs N] [--seed S] [--sched builtin|backfill]
#                                 [--prefix P] [--subnet 10.N] [--topoplan BIN]
# Defaults: out/slurm-replay, 24 jobs, seed 1, builtin, prefix tpsr, subnet 10.244,
# build/topoplan. Times in Slurm's records are whole seconds. The cluster is removed whatever
# happens.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=out/slurm-replay jobs=24 seed=1 sched=builtin prefix=tpsr subnet=10.244
topoplan=$here/../build/topoplan
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=${2:?}; shift ;;
    --jobs) jobs=${2:?}; shift ;;
    --seed) seed=${2:?}; shift ;;
    --sched) sched=${2:?}; shift ;;
    --prefix) prefix=${2:?}; shift ;;
    --subnet) subnet=${2:?}; shift ;;
    --topoplan) topoplan=${2:?}; shift ;;
    *) echo "slurm-replay-check: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
[[ $jobs =~ ^[1-9][0-9]?$ ]] || { echo "slurm-replay-check: --jobs $jobs: expected 1 to 99" >&2; exit 2; }
[[ $seed =~ ^[0-9]+$ ]] || { echo "slurm-replay-check: --seed $seed: expected a number" >&2; exit 2; }
case $sched in builtin) queue=fifo ;; backfill) queue=easy ;;
  *) echo "slurm-replay-check: --sched $sched: expected builtin or backfill" >&2; exit 2 ;;
esac
topoplan=$(realpath "$topoplan")
mkdir -p "$out"
out=$(cd "$out" && pwd)
simcluster() { "$here/simcluster.sh" "$1" prefix="$prefix" "${@:2}"; }
head_run() { simcluster head -- "$@"; }
trap 'simcluster down >/dev/null 2>&1' EXIT
simcluster down >/dev/null 2>&1 || true
simcluster up racks=2 nodes=3 subnet="$subnet" slurm=1 overlay=0 sched="$sched"
conf_dir=$(dirname "$(simcluster slurm-conf)")
cd "$out"
rm -f plan.csv slurm-trace.txt replay-jobs.csv slurm-replay.json

# 1. The trace: offset_s,nodes,run_s per job.
python3 - "$jobs" "$seed" >plan.csv <<'PY'
import random, sys
jobs, seed = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
t = 0.0
for _ in range(jobs):
    print(f"{t:.1f},{rng.choice([1, 1, 2, 2, 3, 4, 6])},{rng.randint(2, 8)}")
    t += rng.expovariate(1 / 1.5)
PY
echo "== $jobs jobs submitted to Slurm (sched/$sched) at their times"
start=$(date +%s.%N)
ids=()
while IFS=, read -r offset nodes run; do
  now=$(date +%s.%N)
  wait_s=$(awk -v a="$start" -v o="$offset" -v n="$now" 'BEGIN { w = a + o - n; print (w > 0 ? w : 0) }')
  sleep "$wait_s"
  ids+=("$(head_run sbatch --parsable -N "$nodes" --exclusive -t 1 -o /dev/null --wrap "sleep $run")")
done <plan.csv
for _ in $(seq 600); do
  [ -z "$(head_run squeue -h -o %i)" ] && break
  sleep 0.2
done
[ -z "$(head_run squeue -h -o %i)" ] || { echo "slurm-replay-check: jobs still queued after 120 s" >&2; exit 1; }
sleep 1  # jobcomp is written as a job completes

# 2. Slurm's records as a trace in sacct's format.
python3 - "$conf_dir/log/jobcomp.txt" "${ids[@]}" >slurm-trace.txt <<'PY'
import re, sys
records = {}
for line in open(sys.argv[1]):
    fields = dict(re.findall(r"(\w+)=(\S*)", line))
    if "JobId" in fields:
        records[fields["JobId"]] = fields
print("JobID|Submit|Start|End|NNodes|AllocTRES")
for job in sys.argv[2:]:
    r = records.get(job)
    if r is None or r.get("JobState") != "COMPLETED":
        sys.exit(f"slurm-replay-check: job {job}: no completed record in jobcomp")
    nodes = int(r["NodeCnt"])
    print(f"{job}|{r['SubmitTime']}|{r['StartTime']}|{r['EndTime']}|{nodes}|gres/gpu={8 * nodes}")
PY

# 3. The replay of what Slurm ran.
"$topoplan" replay --cluster synthetic:rack=2,host=3,gpu=8 --trace slurm-trace.txt --queue "$queue" \
  --policy first-fit --jobs-csv replay-jobs.csv >/dev/null

# 4. The comparison.
python3 - slurm-trace.txt replay-jobs.csv "$sched" <<'PY'
import csv, datetime, json, statistics, sys
def seconds(text):
    return datetime.datetime.fromisoformat(text).timestamp()
rows = [line.rstrip("\n").split("|") for line in open(sys.argv[1])][1:]
origin = min(seconds(r[1]) for r in rows)
slurm = {r[0]: seconds(r[2]) - origin for r in rows}
replay = {r["job"]: float(r["start_s"]) for r in csv.DictReader(open(sys.argv[2]))}
jobs = sorted(slurm, key=int)
diff = [replay[j] - slurm[j] for j in jobs]
absolute = sorted(abs(d) for d in diff)
inversions = sum(1 for i, a in enumerate(jobs) for b in jobs[i + 1:]
                 if (slurm[a] - slurm[b]) * (replay[a] - replay[b]) < 0)
pairs = len(jobs) * (len(jobs) - 1) // 2
p90 = absolute[min(len(absolute) - 1, int(0.9 * len(absolute)))]
# Slurm's own latency (strict FIFO only): how long after the moment its rule allows a start,
# given its own jobs' ends (6 nodes), Slurm started the job.
latency = []
if sys.argv[3] == "builtin":
    ends = {r[0]: seconds(r[3]) - origin for r in rows}
    nodes = {r[0]: int(r[4]) for r in rows}
    submit = {r[0]: seconds(r[1]) - origin for r in rows}
    previous = 0.0
    for i, j in enumerate(jobs):
        earlier = jobs[:i]
        allowed = max(submit[j], previous)
        for t in sorted({allowed} | {ends[e] for e in earlier if ends[e] > allowed}):
            busy = sum(nodes[e] for e in earlier if slurm[e] <= t < ends[e])
            if 6 - busy >= nodes[j]:
                allowed = t
                break
        latency.append(slurm[j] - allowed)
        previous = slurm[j]
result = {
    "sched": sys.argv[3], "jobs": len(jobs),
    "start_diff_s": {"median": statistics.median(absolute), "p90": p90, "max": absolute[-1],
                     "mean_signed": statistics.mean(diff)},
    "order_inversions": inversions, "pairs": pairs,
    "slurm_latency_s": {"median": statistics.median(latency), "max": max(latency)} if latency else None,
    "per_job": [{"job": j, "slurm_start_s": slurm[j], "replay_start_s": replay[j]} for j in jobs],
}
json.dump(result, open("slurm-replay.json", "w"), indent=2)
print(f"{'job':>5} {'slurm start':>12} {'replay start':>13} {'diff':>6}")
for j, d in zip(jobs, diff):
    print(f"{j:>5} {slurm[j]:12.0f} {replay[j]:13.0f} {d:+6.0f}")
print(f"start times, replay - Slurm (s): median |diff| {result['start_diff_s']['median']:.0f}, "
      f"p90 {p90:.0f}, max {absolute[-1]:.0f}, mean {statistics.mean(diff):+.1f}; "
      f"start order: {inversions} of {pairs} pairs of jobs in another order")
if latency:
    print(f"Slurm started each job {statistics.median(latency):.0f} s (median; max "
          f"{max(latency):.0f} s) after its FIFO rule allowed, given its own jobs' ends: a "
          f"latency the replay does not model, which adds up along the queue")
PY
echo "slurm-replay-check: results in $out (slurm-replay.json, slurm-trace.txt, replay-jobs.csv)"
