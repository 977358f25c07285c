#!/usr/bin/env bash
# export_slurm.sh TOPOPLAN CLUSTER SWITCHES [CLUSTER SWITCHES...]: exports each cluster as topology.conf (topology/tree),
# starts Debian's slurmctld on loopback with it (auth/none, every node State=FUTURE), and checks
# that `scontrol show topology` lists every exported switch (SWITCHES of them: one per domain,
# and a root over several top-level domains) with the same nodes and children, and that one
# switch reaches every node (else Slurm places no job across two top-level domains).
# The daemon and its files are removed whatever happens.
set -euo pipefail
topoplan=$1
shift
. "$(dirname "$0")/slurmctld_lib.sh"
slurmctld_require

work=$(mktemp -d)
trap 'slurmctld_stop; rm -rf "$work"' EXIT

expand() { [ -z "$1" ] && return 0; scontrol show hostnames "$1" | sort; }

# Our switches: "name|nodes|switches" per line, from the exported file.
parse_conf() {
  sed -n 's/^SwitchName=\([^ ]*\)\( Nodes=\([^ ]*\)\)\?\( Switches=\([^ ]*\)\)\?$/\1|\3|\5/p' "$1"
}

check_cluster() {
  local cluster=$1 switches=$2 conf=$work/topology.conf
  "$topoplan" export slurm-tree --cluster "$cluster" --out "$conf" >/dev/null
  # Every node once, in the finest switches (the only ones with Nodes=).
  local nodes
  nodes=$(sed -n 's/^SwitchName=[^ ]* Nodes=\([^ ]*\)$/\1/p' "$conf" | paste -sd, -)
  rm -rf "$work/state"
  slurmctld_start "TopologyPlugin=topology/tree
NodeName=$nodes State=FUTURE CPUs=1
PartitionName=all Nodes=ALL Default=YES"
  local shown
  shown=$(scontrol show topology)
  local expected_count shown_count
  expected_count=$(parse_conf "$conf" | wc -l)
  shown_count=$(grep -c '^SwitchName=' <<<"$shown")
  if [ "$expected_count" -ne "$switches" ] || [ "$shown_count" -ne "$switches" ]; then
    echo "FAILED: $cluster: $switches domains, exported $expected_count switches," \
      "slurmctld shows $shown_count"
    exit 1
  fi
  local name want_nodes want_switches line got_nodes got_switches
  while IFS="|" read -r name want_nodes want_switches; do
    line=$(grep "^SwitchName=$name " <<<"$shown" || true)
    if [ -z "$line" ]; then
      echo "FAILED: $cluster: switch $name missing from scontrol show topology"
      exit 1
    fi
    got_switches=$(sed -n 's/.* Switches=\([^ ]*\).*/\1/p' <<<"$line")
    if [ "$(expand "$got_switches")" != "$(expand "$want_switches")" ]; then
      echo "FAILED: $cluster: switch $name children: slurm '$got_switches', exported '$want_switches'"
      exit 1
    fi
    if [ -n "$want_nodes" ]; then
      got_nodes=$(sed -n 's/.* Nodes=\([^ ]*\).*/\1/p' <<<"$line")
      if [ "$(expand "$got_nodes")" != "$(expand "$want_nodes")" ]; then
        echo "FAILED: $cluster: switch $name nodes: slurm '$got_nodes', exported '$want_nodes'"
        exit 1
      fi
    fi
  done < <(parse_conf "$conf")
  if grep -q "no switch can reach all nodes" "$work/slurmctld.log" 2>/dev/null; then
    echo "FAILED: $cluster: slurmctld: $(grep -m1 "no switch can reach" "$work/slurmctld.log")"
    exit 1
  fi
  local hosts
  hosts=$(expand "$nodes" | wc -l)
  echo "OK: $cluster: slurmctld shows all $shown_count switches over $hosts nodes as exported"
  slurmctld_stop
}

while [ $# -ge 2 ]; do
  check_cluster "$1" "$2"
  shift 2
done
