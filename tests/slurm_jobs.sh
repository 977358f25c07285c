#!/usr/bin/env bash
# slurm_jobs.sh TOPOPLAN: Debian's slurmctld with 6 CLOUD nodes of 8 GPUs each, powered down
# (SuspendProgram and ResumeProgram /bin/true, so the controller plans and allocates them without
# any slurmd), in two leaves of a cluster.csv:
#  1. `export slurm-job` of a plan's gang: `sbatch --test-only` places it on exactly the plan's
#     nodes; a job naming a drained node is refused.
#  2. The free state as this controller prints it, after a job took 2 GPUs of gpu01, an exclusive
#     job gpu02, gpu03 was drained and gpu04 set down: `scontrol show node -d` (one line per node
#     and not) and `sinfo -N -O NodeList,StateLong,Gres,GresUsed` read by `place --free` give 22
#     free GPUs on gpu01, gpu05 and gpu06, and the gang place picks avoids the others.
# The daemon and its files are removed whatever happens.
set -euo pipefail
topoplan=$1
. "$(dirname "$0")/slurmctld_lib.sh"
slurmctld_require sbatch sinfo

work=$(mktemp -d)
trap 'slurmctld_stop; rm -rf "$work"' EXIT
fail() { echo "FAILED: $*"; exit 1; }
hosts() { scontrol show hostnames "$1" | sort | paste -sd, -; }

printf 'host,spine,leaf,gpus\n' >"$work/cluster.csv"
for i in 1 2 3 4 5 6; do
  printf 'gpu0%d,s1,l%d,8\n' "$i" $(((i + 2) / 3)) >>"$work/cluster.csv"
done
printf 'NodeName=gpu[01-06] Name=gpu Count=8\n' >"$work/gres.conf"
slurmctld_start "GresTypes=gpu
SuspendProgram=/bin/true
ResumeProgram=/bin/true
SuspendTime=600
ResumeTimeout=600
PrivateData=cloud
NodeName=gpu[01-06] State=CLOUD CPUs=8 Gres=gpu:8
PartitionName=all Nodes=ALL Default=YES"

# 1. The plan's gang as an sbatch script, planned by the controller.
"$topoplan" place --cluster "$work/cluster.csv" --gang 3x8 --json "$work/plan.json" >/dev/null
"$topoplan" export slurm-job --cluster "$work/cluster.csv" --plan "$work/plan.json" \
  --out "$work/job.sh" -- probe --out cluster.json >/dev/null
want=$(hosts "$(sed -n 's/^#SBATCH --nodelist=//p' "$work/job.sh")")
planned=$(python3 -c 'import json,sys; print(",".join(sorted(json.load(open(sys.argv[1]))["gang"]["hosts"])))' "$work/plan.json")
[ "$want" = "$planned" ] || fail "job nodes $want, plan $planned"
grep -q '^#SBATCH --gpus-per-node=8$' "$work/job.sh" || fail "no --gpus-per-node=8 in the job"
answer=$(sbatch --test-only "$work/job.sh" 2>&1) || fail "sbatch --test-only refused the job: $answer"
got=$(hosts "$(sed -n 's/.* on nodes \([^ ]*\) in partition.*/\1/p' <<<"$answer")")
[ "$got" = "$want" ] || fail "slurmctld would run the job on '$got', expected $want ($answer)"
echo "OK: sbatch --test-only runs the plan's job on $got: $answer"

# 2. States, then the free state as scontrol and sinfo print it.
sbatch -w gpu01 --gres=gpu:2 -n 1 -o /dev/null --wrap "sleep 1000" >/dev/null
sbatch -w gpu02 --exclusive -n 1 -o /dev/null --wrap "sleep 1000" >/dev/null
scontrol update NodeName=gpu03 State=DRAIN Reason="test drain"
scontrol update NodeName=gpu04 State=DOWN Reason="test down"
"$topoplan" export slurm-job --nodes "gpu[03,05]" --out "$work/drained.sh" -- probe >/dev/null
if answer=$(sbatch --test-only "$work/drained.sh" 2>&1); then
  fail "sbatch --test-only accepted a job on the drained gpu03: $answer"
fi
echo "OK: a job naming the drained node is refused: $answer"
for _ in $(seq 50); do  # until both jobs hold their nodes
  [ "$(squeue -h -t CF,R | wc -l)" -eq 2 ] && break
  sleep 0.2
done
scontrol show node -d --oneliner >"$work/scontrol-oneliner.txt"
scontrol show node -d >"$work/scontrol.txt"
sinfo -N -O "NodeList,StateLong,Gres,GresUsed" >"$work/sinfo.txt"
for state in scontrol-oneliner.txt scontrol.txt sinfo.txt; do
  "$topoplan" place --cluster "$work/cluster.csv" --gang 2x6 --free "$work/$state" \
    --json "$work/free-plan.json" >"$work/place.out" 2>"$work/place.err" ||
    fail "place --free $state: $(cat "$work/place.err")"
  grep -q "3 host(s) accept work with 22 free GPU(s)" "$work/place.err" ||
    fail "place --free $state: $(cat "$work/place.err")"
  gang=$(python3 -c 'import json,sys; print(",".join(sorted(json.load(open(sys.argv[1]))["gang"]["hosts"])))' "$work/free-plan.json")
  case "$gang" in
    gpu01,gpu05 | gpu01,gpu06 | gpu05,gpu06) ;;
    *) fail "place --free $state chose $gang, expected two of gpu01, gpu05, gpu06" ;;
  esac
  if "$topoplan" place --cluster "$work/cluster.csv" --gang 3x8 --free "$work/$state" \
    >/dev/null 2>&1; then
    fail "place --free $state found 3 hosts with 8 free GPUs; only gpu05 and gpu06 have them"
  fi
  echo "OK: $state: $(grep -c . "$work/$state") lines; 22 free GPUs; gang $gang"
done
