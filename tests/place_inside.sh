#!/usr/bin/env bash
# Inside the hosts, as a user runs it: place --node-inventory on the real inventories, busy GPUs
# from --free (busy_gpus) and from scontrol show node -d, and the exports that carry the choice:
# slurm-job (each rank's GPUs, NICs and cores, run here through a stand-in srun), slurm-gres
# and dra-claims (validated against Kubernetes' resource.k8s.io/v1 schemas).
#   place_inside.sh TOPOPLAN DATA_DIR VALIDATOR_DIR
set -euo pipefail
topoplan=$1 data=$2 validator=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cluster=synthetic:leaf=2,host=4,gpu=8
cd "$work"

# DGX-2 (16 GPUs on NVSwitches): 4 of 8 declared GPUs per host; the first four share a socket.
out=$("$topoplan" place --cluster synthetic:leaf=2,host=4,gpu=16 --gang 2x4 \
        --node-inventory "$data/hwloc/nvidiaDGX2.xml" --json dgx2.json) || fail "place dgx2: $?"
grep -q "inside the hosts" <<<"$out" || fail "no inside-the-hosts section: $out"
grep -q "GPUs 0,1,2,3 (0000:34:00.0 0000:36:00.0 0000:39:00.0 0000:3b:00.0)" <<<"$out" ||
  fail "DGX-2 choice: $out"
python3 - dgx2.json <<'PY' || fail "dgx2.json placement"
import json, sys
gang = json.load(open(sys.argv[1]))["gang"]
p = gang["placement"]
assert [h["host"] for h in p] == gang["hosts"], p
for h in p:
    assert [g["index"] for g in h["gpus"]] == [0, 1, 2, 3], h
    assert h["gpus"][0]["pci_bus_id"] == "0000:34:00.0", h
    assert h["cpuset"] == "0-1" and h["host_gpus"] == 16, h
    assert h["predicted"]["ring_gbps"] == 150, h
PY

# p4d: GPUs 0 and 6 busy on h0001 (by index), h0002 free; then h0002 with 2 busy, which unknown.
cat >free.json <<'JSON'
{"hosts": {"h0001": {"busy_gpus": [0, 6]}, "h0003": 0, "h0004": 0,
           "h0005": 0, "h0006": 0, "h0007": 0, "h0008": 0}}
JSON
p4d=$data/nccl-topo/aws-p4d-24xl-topo.xml
out=$("$topoplan" place --cluster $cluster --gang 2x2 --free free.json --node-inventory "$p4d" \
        --json p4d.json) || fail "place p4d: $?"
grep -q "h0001: GPUs 2,3 (0000:20:1c.0 0000:20:1d.0)  NICs 0000:20:1b.0" <<<"$out" ||
  fail "p4d with 0 and 6 busy: $out"
grep -q "h0002: GPUs 0,1 (0000:10:1c.0 0000:10:1d.0)  NICs 0000:10:1b.0" <<<"$out" ||
  fail "p4d all free: $out"
sed 's/"h0003": 0/"h0002": 6, "h0003": 0/' free.json >free-unnamed.json
out=$("$topoplan" place --cluster $cluster --gang 2x2 --free free-unnamed.json \
        --node-inventory "$p4d") || fail "place p4d unnamed: $?"
grep -q "h0002: no choice: 2 of 8 GPUs are busy and the free state does not say which" <<<"$out" ||
  fail "a host with unnamed busy GPUs: $out"

# Slurm names them (scontrol show node -d): h0005 has 0,2-3 busy; h0006 1 and 4-7.
cat >scontrol.txt <<'TXT'
NodeName=h0005 State=MIXED Gres=gpu:a100:8 GresUsed=gpu:a100:3(IDX:0,2-3)
NodeName=h0006 State=MIXED Gres=gpu:a100:8 GresUsed=gpu:a100:5(IDX:1,4-7)
TXT
out=$("$topoplan" place --cluster $cluster --gang 2x2 --free scontrol.txt \
        --node-inventory "$p4d" 2>/dev/null) ||
  fail "place on scontrol -d: $?"
grep -q "h0005: GPUs 4,5 " <<<"$out" || fail "h0005 (0,2-3 busy): $out"
grep -q "h0006: GPUs 2,3 " <<<"$out" || fail "h0006 (1,4-7 busy: 2 and 3 share a switch): $out"

# Kubernetes with the NVIDIA DRA driver: ResourceSlices publish each GPU's PCI bus id, allocated
# ResourceClaims name the busy ones (kubectl get nodes,pods,resourceslices,resourceclaims -A -o json).
python3 - >kubectl.json <<'PY'
import json
buses = ["0000:10:1c.0", "0000:10:1d.0", "0000:20:1c.0", "0000:20:1d.0",
         "0000:90:1c.0", "0000:90:1d.0", "0000:a0:1c.0", "0000:a0:1d.0"]
items = []
for n in ("h0001", "h0002"):
    items.append({"kind": "Node", "metadata": {"name": n},
                  "status": {"conditions": [{"type": "Ready", "status": "True"}]}})
    items.append({"kind": "ResourceSlice", "spec": {
        "driver": "gpu.nvidia.com", "nodeName": n, "pool": {"name": n, "generation": 1},
        "devices": [{"name": "gpu-%d" % i, "attributes": {
            "resource.kubernetes.io/pciBusID": {"string": b}}} for i, b in enumerate(buses)]}})
busy = {"h0001": [0, 2, 4, 6], "h0002": [1]}
for n, gpus in busy.items():
    items.append({"kind": "ResourceClaim", "metadata": {"name": "job-" + n}, "status": {
        "allocation": {"devices": {"results": [
            {"request": "gpus", "driver": "gpu.nvidia.com", "pool": n, "device": "gpu-%d" % g}
            for g in gpus]}}}})
print(json.dumps({"kind": "List", "items": items}))
PY
out=$("$topoplan" place --cluster $cluster --gang 2x2 --free kubectl.json --node-inventory "$p4d" \
        2>/dev/null) || fail "place on kubectl DRA: $?"
grep -q "h0001: no choice: 2 GPUs asked" <<<"$out" && fail "h0001 has 4 free: $out"
grep -q "h0001: GPUs 1,3 " <<<"$out" || fail "h0001 (0,2,4,6 busy: 1 and 3 on one socket): $out"
grep -q "h0002: GPUs 2,3 " <<<"$out" || fail "h0002 (1 busy): $out"

# slurm-job: every GPU requested; each rank sees the planned ones. A stand-in srun runs the
# command as node h0001 would; the stand-in program prints what the rank got.
"$topoplan" export slurm-job --cluster $cluster --plan p4d.json --topoplan-bin "$work/rank.sh" \
  --out job.sh -- allreduce >/dev/null || fail "export slurm-job"
grep -q "^#SBATCH --gpus-per-node=8$" job.sh || fail "job does not take every GPU: $(cat job.sh)"
bash -n job.sh || fail "job.sh is not valid bash"
mkdir bin
printf '#!/bin/sh\nwhile [ "${1#--}" != "$1" ]; do shift; done\nexec "$@"\n' >bin/srun
printf '#!/bin/sh\necho "gpus=$CUDA_VISIBLE_DEVICES order=$CUDA_DEVICE_ORDER hca=${NCCL_IB_HCA:-none}"\n' >rank.sh
chmod +x bin/srun rank.sh
got=$(PATH="$work/bin:$PATH" SLURM_JOB_ID=1 SLURM_JOB_NODELIST=h0001 SLURMD_NODENAME=h0001 bash job.sh 2>&1 | tail -1) || true
[ "$got" = "gpus=2,3 order=PCI_BUS_ID hca=none" ] || fail "rank on h0001: '$got'"
set +e
got=$(PATH="$work/bin:$PATH" SLURM_JOB_ID=1 SLURM_JOB_NODELIST=h0001 SLURMD_NODENAME=h0009 bash job.sh 2>&1); code=$?
set -e
[ $code = 2 ] && grep -q "no placement for node h0009" <<<"$got" || fail "unknown node: $code $got"

# A DGX-2 plan binds cores 0-1 (taskset), where this machine has them.
"$topoplan" export slurm-job --cluster synthetic:leaf=2,host=4,gpu=16 --plan dgx2.json \
  --topoplan-bin "$work/cpus.sh" --out dgx2-job.sh -- allreduce >/dev/null
printf '#!/bin/sh\ngrep Cpus_allowed_list /proc/self/status\n' >cpus.sh
chmod +x cpus.sh
if taskset -c 0-1 true 2>/dev/null; then
  host=$(python3 -c "import json; print(json.load(open('dgx2.json'))['gang']['hosts'][0])")
  got=$(PATH="$work/bin:$PATH" SLURM_JOB_ID=1 SLURM_JOB_NODELIST=h0001 SLURMD_NODENAME=$host bash dgx2-job.sh | tail -1)
  grep -Eq "Cpus_allowed_list:\s+0-1$" <<<"$got" || fail "cores of the DGX-2 plan: '$got'"
else
  echo "note: CPUs 0-1 are not this machine's: the taskset binding was not run"
fi

# gres.conf from the POWER8 inventory: NVLink pairs 0-1 and 2-3 (40 GB/s: 2 lanes of 25).
"$topoplan" export slurm-gres --cluster $cluster --node-inventory \
  "$data/hwloc/power8gpudistances.xml" --out gres.conf >/dev/null
grep -q "^NodeName=h\[0001-0008\] Name=gpu File=/dev/nvidia0 Cores=0-3 Links=-1,2,0,0$" gres.conf ||
  fail "gres.conf: $(cat gres.conf)"
grep -q "^NodeName=h\[0001-0008\] Name=gpu File=/dev/nvidia3 Cores=4-7 Links=0,0,2,-1$" gres.conf ||
  fail "gres.conf: $(cat gres.conf)"

# DRA: one ResourceClaim per host, the planned GPUs by PCI bus id; the API's schemas accept it.
"$topoplan" export dra-claims --cluster $cluster --plan p4d.json --out claims.yaml >/dev/null
grep -q 'pciBusID in \[\\"0000:20:1c.0\\", \\"0000:20:1d.0\\"\]' claims.yaml ||
  fail "claims: $(cat claims.yaml)"
node "$validator/validate.mjs" "$data/crds/kubernetes-resource-v1" claims.yaml >validate.log ||
  fail "claims rejected: $(cat validate.log)"
grep -q "2 passed, 0 failed" validate.log || fail "validation: $(cat validate.log)"

# Bad input: exit 2, naming what was wrong.
expect2() {  # PATTERN COMMAND...
  local pattern=$1; shift
  set +e; err=$("$@" 2>&1 >/dev/null); code=$?; set -e
  [ $code = 2 ] || fail "$*: exit $code, expected 2"
  grep -q -- "$pattern" <<<"$err" || fail "$*: '$err', expected '$pattern'"
}
expect2 "nvidia-dgx-gb10.xml: the inventory has no GPUs" "$topoplan" place --cluster $cluster \
  --gang 1x2 --node-inventory "$data/hwloc/nvidia-dgx-gb10.xml"
echo '{"hosts": {"h0001": {"busy_gpus": [8]}}}' >bad.json
expect2 "bad.json.hosts.h0001.busy_gpus: 8, expected GPU indices 0 to 7" "$topoplan" place \
  --cluster $cluster --gang 1x2 --free bad.json
"$topoplan" place --cluster $cluster --gang 2x2 --json plain.json >/dev/null
expect2 "dra-claims: the plan chose no GPUs inside its hosts" "$topoplan" export dra-claims \
  --cluster $cluster --plan plain.json
python3 -c "
import json; d = json.load(open('p4d.json'))
d['gang']['placement'][0]['cpuset'] = '0-1; touch $work/pwned'
json.dump(d, open('evil.json', 'w'))"
expect2 "evil.json.gang.placement\[0\].cpuset: '0-1; touch" "$topoplan" export slurm-job \
  --cluster $cluster --plan evil.json -- allreduce
[ ! -e "$work/pwned" ] || fail "a plan's cpuset ran as a command"
expect2 "slurm-gres: no host has an inventory" "$topoplan" export slurm-gres --cluster $cluster
echo "place inside the hosts: ok"
