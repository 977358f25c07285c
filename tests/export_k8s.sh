#!/usr/bin/env bash
# export_k8s.sh TOPOPLAN CRD_DIR VALIDATOR_DIR CLUSTER...: exports every Kubernetes kind of each
# cluster (labels in both schemes, Kueue v1beta2 and v1beta1, Volcano, the gang of a plan) and
# validates every object with VALIDATOR_DIR/validate.mjs (CRD schemas, kubernetes-models, the API
# server's name and label rules).
set -euo pipefail
topoplan=$1 crds=$2 validator=$3
shift 3
if ! command -v node >/dev/null || [ ! -d "$validator/node_modules" ]; then
  echo "FAILED: node or $validator/node_modules missing (scripts/setup.sh installs them)"
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
for cluster in "$@"; do
  n=$((n + 1))
  out=$work/$n
  mkdir "$out"
  "$topoplan" place --cluster "$cluster" --gang 2 --json "$out/plan.json" >/dev/null
  "$topoplan" export k8s-labels --cluster "$cluster" --out "$out/labels.yaml" >/dev/null
  "$topoplan" export k8s-labels --label-scheme topograph --cluster "$cluster" \
    --out "$out/labels-topograph.yaml" >/dev/null
  "$topoplan" export kueue --cluster "$cluster" --plan "$out/plan.json" \
    --out "$out/kueue.yaml" >/dev/null
  "$topoplan" export kueue --kueue-version v1beta1 --cluster "$cluster" \
    --out "$out/kueue-v1beta1.yaml" >/dev/null
  "$topoplan" export volcano --cluster "$cluster" --plan "$out/plan.json" \
    --out "$out/volcano.yaml" >/dev/null
  "$topoplan" export gang --cluster "$cluster" --plan "$out/plan.json" --out "$out/gang.yaml" \
    >/dev/null
done
node "$validator/validate.mjs" "$crds" "$work"/*/*.yaml | tail -n 15
