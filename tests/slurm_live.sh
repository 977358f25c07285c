#!/usr/bin/env bash
# slurm_live.sh SCRIPTS TOPOPLAN OUTDIR: a real Slurm (slurmctld and one slurmd per node) on a
# simulated cluster of 2 racks x 3 nodes with node r1n2 degraded.
#  1. scripts/slurm-loop.sh: the probe and verify jobs of `export slurm-job` run with sbatch;
#     Slurm's own choice for sbatch -N 3 is recorded under the declared topology, and after
#     `export slurm-apply --degraded weight` it is the healthy rack, measured by verify no slower
#     than topoplan's gang.
#  2. slurm-apply in drain mode: r1n2 drained with topoplan's reason, a second run changes
#     nothing, Slurm's choice is the healthy rack; --undo restores the declared topology.conf and
#     resumes r1n2.
#  3. The job scripts run unchanged with --slurm-mpi mpirun; with pmi2 (Debian's Open MPI has no
#     PMI-2 client) the job fails in Slurm with Open MPI's reason.
#  4. A probe job whose rank is killed: Slurm's state FAILED, rank 0's exit code 3 and its
#     document written, marked incomplete.
# Tears the cluster down, also on failure.
set -uo pipefail
scripts=$1 topoplan=$2 outdir=$3
prefix="ts$(( RANDOM % 9000 + 1000 ))"
simcluster() { "$scripts/simcluster.sh" "$1" prefix="$prefix" "${@:2}"; }
why=$(simcluster check 2>&1) || { echo "SKIP: $why"; exit 77; }
for daemon in slurmctld slurmd sbatch; do
  command -v "$daemon" >/dev/null || { echo "SKIP: no $daemon (scripts/setup.sh installs it)"; exit 77; }
done
trap '[ -n "${KEEP:-}" ] || simcluster down >/dev/null 2>&1' EXIT
fail() { echo "FAILED: $*"; exit 1; }
head_run() { simcluster head -- "$@"; }
rm -rf "$outdir"
mkdir -p "$outdir"

# 1. The loop.
timeout 100 "$scripts/slurm-loop.sh" --out "$outdir" --prefix "$prefix" --topoplan "$topoplan" \
  --subnet 10.247 --keep || fail "slurm-loop.sh"
python3 - "$outdir/slurm-loop.json" <<'PY' || fail "Slurm's choices (above)"
import json, sys
choices = {c["name"]: c for c in json.load(open(sys.argv[1]))["choices"]}
declared, hinted, gang = choices["slurm-declared"], choices["slurm-hinted"], choices["gang"]
print("OK: under the declared topology Slurm chose", ",".join(declared["hosts"]),
      "measured", declared["measured_busbw_gbps"], "GB/s")
ok = True
if sorted(hinted["hosts"]) != ["r2n1", "r2n2", "r2n3"]:
    print("after the hints Slurm chose", hinted["hosts"], "expected the healthy rack r2n[1-3]")
    ok = False
if hinted["measured_busbw_gbps"] is None or gang["measured_busbw_gbps"] is None:
    print("verify measured no busbw for Slurm's choice or the gang")
    ok = False
elif hinted["measured_busbw_gbps"] < 0.9 * gang["measured_busbw_gbps"]:
    print("after the hints Slurm's choice measures", hinted["measured_busbw_gbps"],
          "GB/s, below topoplan's gang's", gang["measured_busbw_gbps"])
    ok = False
else:
    print("OK: after the hints Slurm chose", ",".join(hinted["hosts"]), "measured",
          hinted["measured_busbw_gbps"], "GB/s; topoplan's gang", gang["measured_busbw_gbps"])
if not ok:  # what the probe measured, for the record
    import os
    doc = json.load(open(os.path.join(os.path.dirname(sys.argv[1]), "cluster.json")))
    print("the probe's pairs (host, host, probe, GB/s, bytes, pairs on its busiest uplink):")
    for link in doc["links"]:
        print(" ", link["host_a"], link["host_b"], link["probe"], link["bw_gbps"]["median"],
              link["bytes"], link.get("contention"))
sys.exit(0 if ok else 1)
PY
cd "$outdir" || exit 1
conf_dir=$(dirname "$(simcluster slurm-conf)")

# 2. Drain mode, idempotence, undo (after the weights of step 1 are undone).
head_run bash apply.sh --undo >/dev/null || fail "undo of the weight mode"
grep -q "^SwitchName=rack1 " "$conf_dir/topology.conf" || fail "undo did not restore the racks"
"$topoplan" export slurm-apply --cluster cluster.json --out drain.sh >/dev/null
first=$(head_run bash drain.sh) || fail "slurm-apply (drain): $first"
echo "$first"
grep -q "^slurm-apply: r1n2: drained: topoplan: degraded: " <<<"$first" || fail "r1n2 not drained"
head_run scontrol show node -o r1n2 | grep -q "State=IDLE+DRAIN .*Reason=topoplan: degraded:" ||
  fail "Slurm does not show r1n2 drained by topoplan"
second=$(head_run bash drain.sh) || fail "slurm-apply a second time"
grep -q "^slurm-apply: 0 change(s)$" <<<"$second" || fail "a second run changed something: $second"
id=$(head_run sbatch --parsable --wait -N 3 --exclusive -o /dev/null --wrap "srun true")
chose=$(head_run scontrol show job "$id" | sed -n 's/^ *NodeList=\([^ ]*\).*/\1/p')
[ "$chose" = "r2n[1-3]" ] || fail "Slurm's choice with r1n2 drained: $chose, expected r2n[1-3]"
echo "OK: drained, a second run changed nothing, Slurm chose r2n[1-3]"
undo=$(head_run bash drain.sh --undo) || fail "undo: $undo"
grep -q "^SwitchName=rack1 " "$conf_dir/topology.conf" || fail "undo: topology.conf not the racks"
[ ! -e "$conf_dir/topology.conf.before-topoplan" ] || fail "undo left the saved topology.conf"
state=$(head_run scontrol show node -o r1n2 | sed -n 's/.* State=\([^ ]*\) .*/\1/p')
case $state in *DRAIN* | "") fail "undo did not resume r1n2: State=$state" ;; esac
echo "OK: undo restored the declared topology.conf and resumed r1n2"

# 3. The job scripts with mpirun, and pmi2.
nodes="r1n1,r2n1"
"$topoplan" export slurm-job --nodes "$nodes" --slurm-mpi mpirun --topoplan-bin "$topoplan" \
  --out mpirun.sh -- allreduce --algo ring -b 64K -e 64K -n 3 --json mpirun.json >/dev/null
head_run sbatch --wait mpirun.sh >/dev/null || fail "the mpirun job failed: $(cat topoplan-allreduce-*.out)"
grep -q '"algo": "ring"' mpirun.json || fail "the mpirun job wrote no allreduce document"
echo "OK: the export slurm-job script with --slurm-mpi mpirun ran"
rm -f topoplan-allreduce-*.out
"$topoplan" export slurm-job --nodes "$nodes" --slurm-mpi pmi2 --topoplan-bin "$topoplan" \
  --out pmi2.sh -- allreduce --algo ring -b 64K -e 64K -n 3 --json pmi2.json >/dev/null
if head_run sbatch --wait pmi2.sh >/dev/null; then
  fail "the pmi2 job succeeded, with an Open MPI that has no PMI-2 client"
fi
# Open MPI's PMIx client finds no PMIx server: its help text, or only its error when srun ends
# the step first.
grep -Eq "OMPI was not built with SLURM's PMI support|OPAL ERROR: Unreachable in file ext3x_client.c" \
  topoplan-allreduce-*.out ||
  fail "the pmi2 job failed without Open MPI's reason: $(tail -5 topoplan-allreduce-*.out)"
[ ! -e pmi2.json ] || fail "the failed pmi2 job left a document"
echo "OK: --slurm-mpi pmi2 fails in Slurm with Open MPI's reason (its PMIx client finds no server)"

# 4. A rank killed during the probe.
"$topoplan" export slurm-job --nodes "r[1-2]n[1-3]" --topoplan-bin "$topoplan" \
  --out killed.sh -- probe --out killed.json >/dev/null
id=$(head_run sbatch --parsable killed.sh)
victim=""
for _ in $(seq 100); do
  victim=$(ip netns pids "$prefix-r2n2" 2>/dev/null | xargs -r ps -o pid=,comm= -p |
    awk '$2 == "topoplan" {print $1}')
  [ -n "$victim" ] && break
  sleep 0.1
done
[ -n "$victim" ] || fail "the probe's rank on r2n2 never started"
sleep 2
kill -9 $victim
state=""
for _ in $(seq 150); do
  state=$(head_run scontrol show job "$id" | sed -n 's/^ *JobState=\([A-Z_]*\).*/\1/p')
  case $state in PENDING | RUNNING | COMPLETING | CONFIGURING) sleep 0.2 ;; *) break ;; esac
done
[ "$state" = FAILED ] || fail "the job with a killed rank ended $state, expected FAILED"
grep -q "task 0: Exited with exit code 3" topoplan-probe-"$id".out ||
  fail "rank 0 did not end with exit code 3: $(tail -5 topoplan-probe-"$id".out)"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["incomplete"] is True else 1)' \
  killed.json || fail "no incomplete document from the job with a killed rank"
echo "OK: a killed rank: Slurm FAILED, rank 0 exit 3, killed.json written marked incomplete"
