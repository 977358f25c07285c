#!/usr/bin/env bash
# A simulated multi-rack cluster on one machine: each node is a network namespace (and, for
# the processes mpirun starts there, its own UTS namespace, so its own hostname); nodes join
# per-rack Linux bridges through links shaped both ways with tc tbf; racks join a core bridge
# through veth uplinks shaped both ways; optionally a VXLAN pod network over the nodes' links.
#
#   scripts/simcluster.sh check                 can this machine hold one? (exit 2 and why if not)
#   scripts/simcluster.sh up [KEY=VALUE ...]   create it (refuses if it exists)
#   scripts/simcluster.sh down [prefix=P]      remove everything with the prefix, also after a crash
#   scripts/simcluster.sh status [prefix=P]    what exists
#   scripts/simcluster.sh hosts [prefix=P]     the node names, one per line
#   scripts/simcluster.sh mpirun [prefix=P] -- MPIRUN_ARGS...
#                                              mpirun across the nodes (ranks= per node)
#   scripts/simcluster.sh slurm-conf [prefix=P]  the slurm.conf of a cluster made with slurm=1
#   scripts/simcluster.sh head [prefix=P] -- COMMAND...
#                                              COMMAND in the head namespace (the login node):
#                                              SLURM_CONF and the MPI settings of the cluster set
#
# SPEC keys (defaults): racks=2 nodes=3 ranks=1 node=2gbit uplink=200mbit degrade= prefix=tps
#   subnet=10.251 podnet=10.199 overlay=1 slurm=0 gpus=8 sched=backfill
#   nodes=3 or nodes=3,3,2           nodes per rack, the same for every rack or one count each
#   subnet  the node network, a /16 used only inside the namespaces made here (eth0)
#   overlay=1  also a pod network over it, as CNI plugins such as Flannel build one: a VXLAN
#           interface vx0 on every node (VNI 42, UDP 4789 over eth0, static forwarding entries
#           to every other node), addresses in podnet's /16; 0: none
#   degrade=r1n2:100mbit[,r2:50mbit]  a node's link, or a rack's uplink, at a lower rate
#   slurm=1  also a Slurm cluster (see slurm_up): slurmctld in the head namespace, one slurmd per
#           node, topology/tree with the racks as built, gpus= count-only GPUs per node;
#           sched=backfill (sched/backfill) or builtin (sched/builtin: strict FIFO by priority)
# Names: namespace PREFIX-rRnN (hostname rRnN), bridges PREFIXbc (core) and PREFIXbR (racks),
# veths PREFIXrRnN / PREFIXuR, ifbs PREFIXirRnN (what a node sends). The head namespace PREFIX-head runs mpirun on the core bridge.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
command=${1:-}
[ -n "$command" ] && shift

racks=2 nodes=3 ranks=1 node=2gbit uplink=200mbit degrade="" prefix=tps subnet=10.251
podnet=10.199 overlay=1 slurm=0 gpus=8 sched=backfill subnet_given=0
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case "$1" in
    racks=*|nodes=*|ranks=*|node=*|uplink=*|degrade=*|prefix=*|subnet=*|podnet=*|overlay=*|slurm=*|gpus=*|sched=*)
      declare "${1%%=*}=${1#*=}"
      [ "${1%%=*}" = subnet ] && subnet_given=1 ;;
    *) echo "simcluster: '$1': expected KEY=VALUE with KEY one of racks nodes ranks node uplink degrade prefix subnet podnet overlay slurm gpus sched" >&2; exit 2 ;;
  esac
  shift
done
[ "${1:-}" = "--" ] && shift

fail() { echo "simcluster: $*" >&2; exit 2; }
# A cluster's subnet as up made it, unless given.
if [ "$command" != up ] && [ "$subnet_given" = 0 ] && [[ $prefix =~ ^[a-z][a-z0-9]{0,5}$ ]] &&
  [ -f "/tmp/${prefix}-simcluster/subnet" ]; then
  subnet=$(cat "/tmp/${prefix}-simcluster/subnet")
fi
[[ $prefix =~ ^[a-z][a-z0-9]{0,5}$ ]] || fail "prefix '$prefix': expected 1-6 lowercase letters or digits, starting with a letter"
[[ $sched == backfill || $sched == builtin ]] || fail "sched=$sched: expected backfill or builtin"
[[ $racks =~ ^[1-9][0-9]?$ && $racks -le 50 ]] || fail "racks=$racks: expected 1 to 50"
[[ $nodes =~ ^[1-9][0-9]?(,[1-9][0-9]?)*$ ]] || fail "nodes=$nodes: expected a count from 1 to 50, or one per rack (3,3,2)"
for count in ${nodes//,/ }; do [ "$count" -le 50 ] || fail "nodes=$nodes: expected counts from 1 to 50"; done
if [[ $nodes == *,* ]]; then
  [ "$(tr ',' '\n' <<<"$nodes" | wc -l)" -eq "$racks" ] || fail "nodes=$nodes: expected one count per rack ($racks)"
fi
[[ $ranks =~ ^[1-9]$ ]] || fail "ranks=$ranks: expected 1 to 9"
rate_ok() { [[ $1 =~ ^[0-9]+(kbit|mbit|gbit)$ ]]; }
rate_ok "$node" || fail "node=$node: expected a rate such as 2gbit or 500mbit"
rate_ok "$uplink" || fail "uplink=$uplink: expected a rate such as 200mbit"
[[ $subnet =~ ^10\.[0-9]{1,3}$ ]] || fail "subnet=$subnet: expected 10.N (a /16 inside the namespaces)"
[[ $podnet =~ ^10\.[0-9]{1,3}$ && $podnet != "$subnet" ]] || fail "podnet=$podnet: expected 10.N other than the subnet"
[[ $overlay =~ ^[01]$ ]] || fail "overlay=$overlay: expected 0 or 1"
[[ $slurm =~ ^[01]$ ]] || fail "slurm=$slurm: expected 0 or 1"
[[ $gpus =~ ^[0-9]{1,3}$ ]] || fail "gpus=$gpus: expected 0 to 999"

nodes_in() {  # nodes_in RACK: the node count of rack RACK
  if [[ $nodes == *,* ]]; then cut -d, -f"$1" <<<"$nodes"; else echo "$nodes"; fi
}

nodes_of() {  # every node name
  for r in $(seq 1 "$racks"); do for n in $(seq 1 "$(nodes_in "$r")"); do echo "r${r}n${n}"; done; done
}
rate_of() {  # rate_of NAME DEFAULT: the degraded rate of a node or rack, else DEFAULT
  local item
  for item in ${degrade//,/ }; do
    [ "${item%%:*}" = "$1" ] && { echo "${item#*:}"; return; }
  done
  echo "$2"
}
shape() {  # shape DEV RATE [NETNS]: egress token bucket
  local run=()
  [ -n "${3:-}" ] && run=(ip netns exec "$3")
  # burst: at least one 64 KB GSO segment, or tbf drops it and TCP stalls on retransmits.
  "${run[@]}" tc qdisc replace dev "$1" root tbf rate "$2" burst 1mbit latency 50ms
}
existing_namespaces() { ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${prefix}-" || true; }
existing_links() { ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -E "^${prefix}(b|r|u|h|i)" || true; }

# A node's link, shaped both ways where the kernel shapes tunnel traffic faithfully: what the node
# receives on its host-side veth (egress), what it sends on an ifb that the host-side veth's
# ingress redirects to. Its overlay's packets (VXLAN, UDP 4789) are not redirected: a token
# bucket on the sender's side throttles encapsulated TCP far below its rate (measured here: 33
# MB/s at 2 Gbit/s), so the overlay is shaped on vx0 instead (overlay_up), before encapsulation.
shape_node() {  # shape_node HOST_IF IFB RATE
  shape "$1" "$3"
  ip link add "$2" type ifb && ip link set "$2" up
  shape "$2" "$3"
  tc qdisc add dev "$1" handle ffff: ingress
  tc filter add dev "$1" parent ffff: prio 1 protocol ip u32 match ip protocol 17 0xff \
    match ip dport 4789 0xffff flowid ffff:1
  tc filter add dev "$1" parent ffff: prio 2 protocol all u32 match u32 0 0 \
    action mirred egress redirect dev "$2" >/dev/null
}

down() {
  local ns link
  slurm_down
  for ns in $(existing_namespaces); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  for link in $(existing_links); do ip link del "$link" 2>/dev/null || true; done
  rm -rf "/tmp/${prefix}-simcluster"
}

# Whether this machine can hold a simulated cluster and run mpirun across it.
check() {
  [ "$(id -u)" -eq 0 ] || fail "needs root to create network namespaces"
  command -v ip >/dev/null && command -v tc >/dev/null && command -v unshare >/dev/null ||
    fail "needs ip, tc (iproute2) and unshare (util-linux)"
  command -v mpirun >/dev/null || fail "needs mpirun (openmpi-bin)"
  ip netns add "${prefix}-probe" 2>/dev/null || fail "cannot create network namespaces here (ip netns add failed)"
  ip netns del "${prefix}-probe"
}

up() {
  check
  [ -z "$(existing_namespaces)$(existing_links)" ] && true ||
    fail "a cluster with prefix '$prefix' exists; run: $0 down prefix=$prefix"
  trap 'echo "simcluster: up failed, removing what it made" >&2; down' ERR

  ip link add "${prefix}bc" type bridge && ip link set "${prefix}bc" up
  # The head namespace: where mpirun runs, unshaped on the core bridge.
  ip netns add "${prefix}-head"
  ip link add "${prefix}h0" type veth peer name eth0 netns "${prefix}-head"
  ip link set "${prefix}h0" master "${prefix}bc" up
  ip -n "${prefix}-head" addr add "${subnet}.0.1/16" dev eth0
  ip -n "${prefix}-head" link set eth0 up
  ip -n "${prefix}-head" link set lo up

  for r in $(seq 1 "$racks"); do
    local bridge="${prefix}b${r}"
    ip link add "$bridge" type bridge && ip link set "$bridge" up
    # Uplink: a veth between the rack bridge and the core, shaped both ways.
    ip link add "${prefix}u${r}a" type veth peer name "${prefix}u${r}b"
    ip link set "${prefix}u${r}a" master "$bridge" up
    ip link set "${prefix}u${r}b" master "${prefix}bc" up
    local rack_rate; rack_rate=$(rate_of "r${r}" "$uplink")
    shape "${prefix}u${r}a" "$rack_rate"
    shape "${prefix}u${r}b" "$rack_rate"
    for n in $(seq 1 "$(nodes_in "$r")"); do
      local name="r${r}n${n}" ns="${prefix}-r${r}n${n}" host_if="${prefix}r${r}n${n}"
      ip netns add "$ns"
      ip link add "$host_if" type veth peer name eth0 netns "$ns"
      ip link set "$host_if" master "$bridge" up
      ip -n "$ns" addr add "${subnet}.${r}.${n}/16" dev eth0
      ip -n "$ns" link set eth0 up
      ip -n "$ns" link set lo up
      local node_rate; node_rate=$(rate_of "$name" "$node")
      shape_node "$host_if" "${prefix}i${name}" "$node_rate"
    done
  done
  [ "$overlay" = 1 ] && overlay_up
  mkdir -p "/tmp/${prefix}-simcluster"
  nodes_of > "/tmp/${prefix}-simcluster/hosts"
  echo "$subnet" > "/tmp/${prefix}-simcluster/subnet"
  [ "$slurm" = 1 ] && slurm_up
  trap - ERR
  local pods=""
  [ "$overlay" = 1 ] && pods=", pod overlay vx0 on ${podnet}.0.0/16"
  local with_slurm=""
  [ "$slurm" = 1 ] && with_slurm=", Slurm ($(slurm_dir)/slurm.conf, $gpus GPUs per node)"
  echo "simcluster: up: $racks racks x $nodes nodes, node links $node, rack uplinks $uplink${degrade:+, degraded $degrade} (prefix $prefix, ${subnet}.0.0/16$pods$with_slurm)"
}

overlay_rate() {  # overlay_rate RATE: RATE x 29/30, in kbit
  local value=${1%%[a-z]*} unit=${1##*[0-9]} kbit
  case "$unit" in kbit) kbit=$value ;; mbit) kbit=$((value * 1000)) ;; gbit) kbit=$((value * 1000000)) ;; esac
  echo "$((kbit * 29 / 30))kbit"
}

# The pod network: a VXLAN interface per node over its eth0, with a forwarding entry for every
# other node (unicast head-end replication, no multicast), as Flannel's vxlan backend does.
overlay_up() {
  local name ns other r n
  for name in $(nodes_of); do
    ns="${prefix}-${name}"; r=${name#r}; r=${r%%n*}; n=${name##*n}
    ip -n "$ns" link add vx0 type vxlan id 42 dev eth0 dstport 4789 local "${subnet}.${r}.${n}" nolearning
    ip -n "$ns" addr add "${podnet}.${r}.${n}/16" dev vx0
    ip -n "$ns" link set vx0 up
    # The node's rate for what the overlay carries: 1450 of every 1500 bytes on the wire.
    shape vx0 "$(overlay_rate "$(rate_of "$name" "$node")")" "$ns"
    for other in $(nodes_of); do
      [ "$other" = "$name" ] && continue
      local orack=${other#r}; orack=${orack%%n*}
      ip netns exec "$ns" bridge fdb append 00:00:00:00:00:00 dev vx0 dst "${subnet}.${orack}.${other##*n}"
    done
  done
}

# The MPI settings every launch on this cluster uses, as NAME=VALUE words: Open MPI over the node
# network only (not the overlay), no binding (the nodes share this machine's cores), blocking
# waits that yield; root allowed.
mpi_env() {
  echo OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl=tcp,self \
    "OMPI_MCA_btl_tcp_if_include=${subnet}.0.0/16 OMPI_MCA_oob_tcp_if_include=${subnet}.0.0/16" \
    OMPI_MCA_mpi_yield_when_idle=1 OMPI_MCA_hwloc_base_binding_policy=none
}

slurm_dir() { echo "/tmp/${prefix}-simcluster/slurm"; }

# A Slurm cluster over the nodes: slurmctld in the head namespace (hostname head), one slurmd per
# node in the node's network and UTS namespaces; select/cons_tres, topology/tree with one leaf
# switch per rack and a core switch over them (the racks as built: the declared topology), gpus=
# GPUs per node as count-only GRES. Authentication is auth/none (cred/none): every daemon and
# client runs as root on this one machine and only the cluster's own namespaces reach it, so
# munge would only add a daemon and a key to manage. Processes are tracked without cgroups
# (proctrack/linuxproc, task/none): the nodes share one kernel and its cgroup tree.
slurm_up() {
  local dir; dir=$(slurm_dir)
  mkdir -p "$dir"/{state,spool,log,run}
  local cpus; cpus=$(nproc)
  local r n switches="" gres=""
  [ "$gpus" -gt 0 ] && gres=" Gres=gpu:$gpus"
  {
    echo "# simcluster $prefix: $racks racks x $nodes nodes"
    echo "ClusterName=${prefix}sim"
    echo "SlurmctldHost=head(${subnet}.0.1)"
    echo "AuthType=auth/none"
    echo "CredType=cred/none"
    echo "SlurmUser=root"
    echo "SlurmdUser=root"
    echo "StateSaveLocation=$dir/state"
    echo "SlurmdSpoolDir=$dir/spool/%n"
    # Per node: PMIx makes its clients' directory for a step under TmpFS, named by job and step.
    echo "TmpFS=$dir/tmp/%n"
    echo "SlurmctldPidFile=$dir/run/slurmctld.pid"
    echo "SlurmdPidFile=$dir/run/slurmd-%n.pid"
    echo "SlurmctldLogFile=$dir/log/slurmctld.log"
    echo "SlurmdLogFile=$dir/log/slurmd-%n.log"
    echo "SlurmctldPort=6817"
    echo "SlurmdPort=6818"
    echo "ProctrackType=proctrack/linuxproc"
    echo "TaskPlugin=task/none"
    echo "JobAcctGatherType=jobacct_gather/none"
    echo "JobCompType=jobcomp/filetxt"
    echo "JobCompLoc=$dir/log/jobcomp.txt"
    echo "SelectType=select/cons_tres"
    echo "SelectTypeParameters=CR_CPU"
    echo "SchedulerType=sched/$sched"
    echo "TopologyPlugin=topology/tree"
    echo "GresTypes=gpu"
    echo "MpiDefault=none"
    echo "ReturnToService=2"
    echo "SlurmdParameters=config_overrides"
    echo "KillWait=10"
    echo "MinJobAge=600"
    echo "SlurmctldTimeout=30"
    echo "SlurmdTimeout=60"
    for r in $(seq 1 "$racks"); do
      for n in $(seq 1 "$(nodes_in "$r")"); do
        echo "NodeName=r${r}n${n} NodeAddr=${subnet}.${r}.${n} CPUs=$cpus RealMemory=1000${gres} State=UNKNOWN"
      done
    done
    echo "PartitionName=sim Nodes=ALL Default=YES MaxTime=INFINITE State=UP"
  } >"$dir/slurm.conf"
  : >"$dir/topology.conf"
  for r in $(seq 1 "$racks"); do
    echo "SwitchName=rack$r Nodes=r${r}n[1-$(nodes_in "$r")]" >>"$dir/topology.conf"
    switches+="${switches:+,}rack$r"
  done
  echo "SwitchName=core Switches=$switches" >>"$dir/topology.conf"
  # GPUs: Slurm drops a GPU without a device file, so each has a placeholder (an index for
  # scontrol show node -d's GRES IDX and the jobs' CUDA_VISIBLE_DEVICES; nothing opens them): a
  # character device with /dev/null's numbers, else a plain file (slurmd logs an error per start).
  : >"$dir/gres.conf"
  if [ "$gpus" -gt 0 ]; then
    mkdir -p "$dir/dev"
    for g in $(seq 0 $((gpus - 1))); do
      mknod "$dir/dev/gpu$g" c 1 3 2>/dev/null || : >"$dir/dev/gpu$g"
    done
    echo "Name=gpu File=$dir/dev/gpu[0-$((gpus - 1))]" >"$dir/gres.conf"
  fi
  for name in $(nodes_of); do mkdir -p "$dir/spool/$name" "$dir/tmp/$name"; done
  echo "CgroupPlugin=autodetect" >"$dir/cgroup.conf"

  # Each daemon in the foreground of its own session, its pid kept for down. nsenter joins only
  # the network namespace (ip netns exec would mount a sysfs of its own over /sys, hiding the
  # cgroup tree slurmd reads at start).
  nsenter --net="/run/netns/${prefix}-head" unshare --uts sh -c 'hostname head; exec "$@"' sh \
    setsid slurmctld -D -i -f "$dir/slurm.conf" >"$dir/log/slurmctld.out" 2>&1 &
  echo $! >"$dir/run/slurmctld.daemon"
  for name in $(nodes_of); do
    nsenter --net="/run/netns/${prefix}-${name}" unshare --uts sh -c 'hostname "$0"; exec "$@"' "$name" \
      setsid slurmd -D -N "$name" -f "$dir/slurm.conf" >"$dir/log/slurmd-$name.out" 2>&1 &
    echo $! >"$dir/run/slurmd-$name.daemon"
  done
  # Until every node is idle.
  local count; count=$(nodes_of | wc -l) idle=0
  for _ in $(seq 150); do
    idle=$(slurm_client sinfo -h -N -t idle -o %N 2>/dev/null | wc -l || true)
    [ "$idle" -eq "$count" ] && break
    sleep 0.2
  done
  if [ "$idle" -ne "$count" ]; then
    tail -n 5 "$dir"/log/* >&2 || true
    [ -z "${SIMCLUSTER_KEEP:-}" ] || cp -r "$dir/log" "/tmp/${prefix}-slurm-logs"
    fail "slurm: $idle of $count nodes idle after 30 s (the logs' ends above)"
  fi
}

slurm_client() {  # slurm_client COMMAND...: in the head namespace with the cluster's settings
  local dir; dir=$(slurm_dir)
  # shellcheck disable=SC2046
  ip netns exec "${prefix}-head" env SLURM_CONF="$dir/slurm.conf" $(mpi_env) "$@"
}

slurm_down() {
  local dir pidfile; dir=$(slurm_dir)
  [ -d "$dir/run" ] || return 0
  for pidfile in "$dir"/run/*.daemon; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 0.5
  for pidfile in "$dir"/run/*.daemon; do
    [ -f "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null || true
  done
}

status() {
  local namespaces links
  namespaces=$(existing_namespaces | tr '\n' ' ')
  links=$(existing_links | tr '\n' ' ')
  if [ -z "$namespaces$links" ]; then
    echo "simcluster: prefix $prefix: nothing"
    return 1
  fi
  echo "namespaces: $namespaces"
  echo "links: $links"
}

run_mpirun() {
  [ -f "/tmp/${prefix}-simcluster/hosts" ] || fail "no cluster with prefix '$prefix': run $0 up first"
  local dir="/tmp/${prefix}-simcluster"
  # All nodes share this machine's cores: no rank is bound to a core (each node's daemon would
  # bind its rank to the same first core), and MPI's own blocking waits yield
  # (mpi_yield_when_idle); topoplan's waits poll without holding a core.
  # The launch agent mpirun uses instead of ssh: "agent HOST COMMAND..." runs COMMAND in the
  # node's namespaces with the node's hostname.
  cat > "$dir/agent" <<AGENT
#!/usr/bin/env bash
host=\$1; shift
exec ip netns exec "${prefix}-\$host" unshare --uts sh -c 'hostname "\$0"; exec "\$@"' "\$host" sh -c "\$*"
AGENT
  chmod +x "$dir/agent"
  : > "$dir/hostfile"
  local host
  for host in $(cat "$dir/hosts"); do echo "$host slots=$ranks" >> "$dir/hostfile"; done
  local count=$(( $(wc -l < "$dir/hosts") * ranks ))
  ip netns exec "${prefix}-head" env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
    mpirun -np "$count" --hostfile "$dir/hostfile" --map-by "ppr:${ranks}:node" \
    --mca plm_rsh_agent "$dir/agent" --mca plm_rsh_no_tree_spawn 1 \
    --bind-to none --mca mpi_yield_when_idle 1 \
    --mca btl tcp,self --mca btl_tcp_if_include "${subnet}.0.0/16" \
    --mca oob_tcp_if_include "${subnet}.0.0/16" "$@"
}

case "$command" in
  check) check ;;
  up) up ;;
  down) down; echo "simcluster: down: prefix $prefix removed" ;;
  status) status ;;
  hosts) cat "/tmp/${prefix}-simcluster/hosts" ;;
  mpirun) run_mpirun "$@" ;;
  slurm-conf)
    [ -f "$(slurm_dir)/slurm.conf" ] || fail "no Slurm in a cluster with prefix '$prefix' (up ... slurm=1)"
    echo "$(slurm_dir)/slurm.conf" ;;
  head)
    [ -f "/tmp/${prefix}-simcluster/hosts" ] || fail "no cluster with prefix '$prefix': run $0 up first"
    [ $# -gt 0 ] || fail "head: expected -- COMMAND..."
    slurm_client "$@" ;;
  *) echo "usage: $0 check|up|down|status|hosts|mpirun|slurm-conf|head [KEY=VALUE ...] [-- ARGS...]" >&2; exit 2 ;;
esac
