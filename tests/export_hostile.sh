#!/usr/bin/env bash
# export_hostile.sh TOPOPLAN CRD_DIR VALIDATOR_DIR: hostile names in a cluster. Host names that a
# scheduler cannot carry are refused (exit 2, nothing written); domain and level names are
# rewritten, and nothing exported can run a command or inject YAML: the kubectl script is run
# against a fake kubectl that records its arguments, and the YAML is validated.
set -euo pipefail
topoplan=$1 crds=$2 validator=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAILED: $*"; exit 1; }

# 1. Hosts that are not node names: refused by every kind, and no output file appears.
printf 'host,spine,leaf\n$(touch pwned),s1,l1\nok-1,s1,l2\n' >bad-host.csv
printf '{"schema":"topoplan.topology/v1","levels":[{"name":"leaf","domains":[{"name":"l1","hosts":["a\\nb","c"]}]}]}' >bad-host.json
for input in bad-host.csv bad-host.json; do
  for kind in slurm-tree slurm-block k8s-labels kueue volcano kai; do
    set +e
    message=$("$topoplan" export "$kind" --cluster "$input" --out out.txt 2>&1)
    code=$?
    set -e
    [ "$code" -eq 2 ] || fail "$kind of $input: exit $code, expected 2: $message"
    grep -Eq "host '.*' cannot be a (Slurm|Kubernetes) node name" <<<"$message" ||
      fail "$kind of $input: message '$message'"
    [ ! -e out.txt ] || fail "$kind of $input left out.txt behind"
  done
done
[ ! -e pwned ] || fail "a host name ran a command"
echo "OK: hostile host names refused with exit 2 by every kind, nothing written"

# 2. Hostile domain and level names: rewritten. The file name carries a newline and a quote too.
cluster=$'hostile\n\'$(touch pwned).csv'
{
  printf 'host,$(touch pwned),"; rm -rf ~",yes\n'
  printf 'n1,$(touch pwned),`touch pwned`,- x: y\n'
  printf "n2,\$(touch pwned),a b'c\\\"d,#comment\n"
  printf 'n3,%s,%s,null\n' "$(printf 'z%.0s' $(seq 80))" '\n'
  printf 'n4,G6/x,S1,S1\n'
} >"$cluster"
"$topoplan" topo "$cluster" >/dev/null || fail "the hostile CSV does not load"
"$topoplan" place --cluster "$cluster" --gang 2 --json plan.json >/dev/null
"$topoplan" export k8s-labels --script --cluster "$cluster" --out labels.sh >/dev/null
for kind in k8s-labels kueue volcano kai gang; do
  "$topoplan" export "$kind" --cluster "$cluster" --plan plan.json --out "$kind.yaml" >/dev/null
done
"$topoplan" export slurm-tree --cluster "$cluster" --plan plan.json --out topology.conf >/dev/null
"$topoplan" export slurm-block --cluster "$cluster" --out block.conf >/dev/null

mkdir bin
cat >bin/kubectl <<'FAKE'
#!/bin/sh
for arg in "$@"; do printf '%s\n' "$arg" >>"$KUBECTL_LOG"; done
echo "--" >>"$KUBECTL_LOG"
FAKE
chmod +x bin/kubectl
KUBECTL_LOG=$work/kubectl.log PATH="$work/bin:$PATH" sh labels.sh
[ ! -e pwned ] && [ ! -e "$HOME/pwned" ] || fail "the kubectl script ran a command"
[ "$(grep -c '^--$' kubectl.log)" -eq 8 ] || fail "expected 8 kubectl calls: $(cat kubectl.log)"
if grep -Ev '^(--|get|label|node|--overwrite|n[1-4]|[a-z0-9.]+/[a-z0-9_.-]+=[A-Za-z0-9_.-]*)$' kubectl.log; then
  fail "kubectl got the arguments above"
fi
echo "OK: the kubectl script made 4 get and 4 label calls, every argument a node, a flag or key=value"

if grep -Ev '^(#.*|(SwitchName|BlockName)=[A-Za-z0-9._-]+ (Nodes|Switches)=[][A-Za-z0-9._,-]+|BlockName=empty-[0-9]+|BlockSizes=[0-9,]+)$' \
  topology.conf block.conf; then
  fail "the Slurm files hold the lines above"
fi
echo "OK: topology.conf and block.conf hold only switch, block and comment lines"
node "$validator/validate.mjs" "$crds/kueue-ff69552e" k8s-labels.yaml kueue.yaml | tail -n 1
node "$validator/validate.mjs" "$crds/volcano-ed72c7c8" volcano.yaml | tail -n 1
node "$validator/validate.mjs" "$crds/kai-scheduler-72de64fc:$crds/mpi-operator-caa3c47f" kai.yaml | tail -n 1
node "$validator/validate.mjs" "$crds/scheduler-plugins-903da7df" gang.yaml | tail -n 1
