#!/usr/bin/env bash
# export_k8s.sh TOPOPLAN CRD_DIR VALIDATOR_DIR CLUSTER...: exports every Kubernetes kind of each
# cluster, for every scheduler release we claim, and validates each file with
# VALIDATOR_DIR/validate.mjs against the CRDs of exactly those releases (CRD_DIR/<project>-<tag>):
# an apiVersion a release does not serve fails. Then shows that the validator rejects what a
# cluster would reject (no image, a topology level the Topology lacks, an unserved version).
set -euo pipefail
topoplan=$1 crds=$2 validator=$3
shift 3
if ! command -v node >/dev/null || [ ! -d "$validator/node_modules" ]; then
  echo "FAILED: node or $validator/node_modules missing (scripts/setup.sh installs them)"
  exit 1
fi
kueue013=$crds/kueue-v0.13.0 kueue014=$crds/kueue-v0.14.0 kueue=$crds/kueue-ff69552e
volcano112=$crds/volcano-v1.12.0 volcano114=$crds/volcano-v1.14.0 volcano=$crds/volcano-ed72c7c8
mpi=$crds/mpi-operator-caa3c47f
kai=$crds/kai-scheduler-72de64fc:$mpi
coscheduling=$crds/scheduler-plugins-903da7df
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAILED: $*"; exit 1; }
objects=0
batch=()
validate() {  # CRD_DIRS FILE...: queued, validated by validate_batch in one run of node
  [ ${#batch[@]} -eq 0 ] || batch+=(--)
  batch+=("$@")
}
validate_batch() {
  local log=$work/validate.log
  if ! node "$validator/validate.mjs" "${batch[@]}" >"$log"; then
    grep -v '^ok' "$log"
    fail "validation (the lines above name each file and object)"
  fi
  objects=$((objects + $(grep -c '^ok' "$log")))
  batch=()
}
rejects() {  # WHAT CRD_DIRS FILE: the validator must fail it
  if node "$validator/validate.mjs" "$2" "$3" >"$work/reject.log"; then
    fail "the validator accepted $1"
  fi
  echo "OK: rejected $1: $(grep -m1 '^FAIL' "$work/reject.log" | cut -c1-160)"
}

n=0
for cluster in "$@"; do
  n=$((n + 1))
  out=$work/$n
  mkdir "$out"
  export_() { "$topoplan" export "$@" --cluster "$cluster" >/dev/null; }
  "$topoplan" place --cluster "$cluster" --gang 2 --json "$out/plan.json" >/dev/null
  "$topoplan" place --cluster "$cluster" --gang 2x2 --json "$out/plan-gpus.json" >/dev/null
  export_ k8s-labels --out "$out/labels.yaml"
  export_ k8s-labels --label-scheme topograph --out "$out/labels-topograph.yaml"
  validate "$kueue" "$out/labels.yaml" "$out/labels-topograph.yaml"
  export_ kueue --kueue-version v1alpha1 --plan "$out/plan-gpus.json" --out "$out/kueue-v1alpha1.yaml"
  validate "$kueue013" "$out/kueue-v1alpha1.yaml"
  export_ kueue --kueue-version v1beta1 --plan "$out/plan.json" --out "$out/kueue-v1beta1.yaml"
  validate "$kueue014" "$out/kueue-v1beta1.yaml"
  validate "$kueue" "$out/kueue-v1beta1.yaml"
  export_ kueue --plan "$out/plan-gpus.json" --queue team-a --out "$out/kueue.yaml"
  validate "$kueue" "$out/kueue.yaml"
  export_ volcano --volcano-version 1.12 --plan "$out/plan.json" --out "$out/volcano-1.12.yaml"
  validate "$volcano112" "$out/volcano-1.12.yaml"
  export_ volcano --plan "$out/plan-gpus.json" --out "$out/volcano.yaml"
  validate "$volcano114" "$out/volcano.yaml"
  validate "$volcano" "$out/volcano.yaml"
  export_ volcano --volcano-discovery --plan "$out/plan.json" --out "$out/volcano-discovery.yaml"
  validate "$volcano" "$out/volcano-discovery.yaml"
  export_ kai --plan "$out/plan-gpus.json" --out "$out/kai.yaml"
  validate "$kai" "$out/kai.yaml"
  export_ gang --plan "$out/plan.json" --out "$out/gang.yaml"
  validate "$coscheduling" "$out/gang.yaml"
  export_ gang --plan "$out/plan-gpus.json" --gpus-per-pod 2 --out "$out/gang-gpus.yaml"
  validate "$coscheduling" "$out/gang-gpus.yaml"
  # Jobs that run topoplan on the plan's gang (the command after --).
  "$topoplan" export mpijob --cluster "$cluster" --plan "$out/plan-gpus.json" --ranks-per-node 2 \
    --results-pvc results --out "$out/mpijob.yaml" -- allreduce -b 1M -e 64M --json ar.json >/dev/null
  validate "$mpi" "$out/mpijob.yaml"
  "$topoplan" export volcano-job --cluster "$cluster" --plan "$out/plan.json" \
    --out "$out/volcano-job.yaml" -- probe --out cluster.json >/dev/null
  validate "$volcano112" "$out/volcano-job.yaml"
  validate "$volcano" "$out/volcano-job.yaml"
  validate_batch
done
echo "OK: $objects objects of $n clusters pass the CRDs of the releases they claim and the API server's rules"

# The validator fails what a cluster would refuse.
one=$work/1
rejects "a v1beta2 Topology for Kueue 0.14" "$kueue014" "$one/kueue.yaml"
rejects "a v1beta1 Topology for Kueue 0.13" "$kueue013" "$one/kueue-v1beta1.yaml"
sed 's/^\( *\)image: .*/\1image: ""/' "$one/kueue.yaml" >"$work/no-image.yaml"
rejects "a Job whose container has no image" "$kueue" "$work/no-image.yaml"
sed 's#podset-required-topology: ".*"#podset-required-topology: "example.com/rack"#' \
  "$one/kueue.yaml" >"$work/bad-level.yaml"
rejects "a topology request for a level the Topology lacks" "$kueue" "$work/bad-level.yaml"
sed 's/"kai-scheduler"/"default-scheduler"/' "$one/kai.yaml" >"$work/kai-scheduler.yaml"
rejects "KAI pods another scheduler would place" "$kai" "$work/kai-scheduler.yaml"
sed 's#scheduling.x-k8s.io/pod-group: ".*"#scheduling.x-k8s.io/pod-group: "other"#' \
  "$one/gang.yaml" >"$work/gang-group.yaml"
rejects "pods naming a PodGroup that is not there" "$coscheduling" "$work/gang-group.yaml"
sed 's/--master=launcher/--master=master/' "$one/volcano-job.yaml" >"$work/no-master.yaml"
rejects "an mpi plugin whose master task is not there" "$volcano" "$work/no-master.yaml"
