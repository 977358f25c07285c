# Sourced by the tests that need a Slurm controller: Debian's slurmctld on loopback with auth/none,
# its files under $work (the caller's temporary folder, removed by the caller's trap with
# slurmctld_stop first). SLURM_CONF is exported for scontrol, sinfo and sbatch.
slurmctld_pid=""

# slurmctld_start CONF_LINES: the cluster-specific lines (TopologyPlugin, NodeName, ...); waits
# until the controller answers.
slurmctld_start() {
  local port=$((20000 + RANDOM % 20000))
  mkdir -p "$work/state"
  cat >"$work/slurm.conf" <<CONF
ClusterName=topoplantest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/none
CredType=cred/none
SlurmUser=$(id -un)
StateSaveLocation=$work/state
SlurmctldPidFile=$work/slurmctld.pid
SlurmctldLogFile=$work/slurmctld.log
SchedulerType=sched/builtin
SelectType=select/cons_tres
ProctrackType=proctrack/linuxproc
ReturnToService=2
$1
CONF
  export SLURM_CONF=$work/slurm.conf
  slurmctld -D -i -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
  slurmctld_pid=$!
  for _ in $(seq 100); do
    if timeout 5 scontrol ping >/dev/null 2>&1; then return 0; fi
    kill -0 "$slurmctld_pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "FAILED: slurmctld did not answer"
  cat "$work/slurmctld.out" "$work/slurmctld.log" 2>/dev/null | tail -20
  exit 1
}

slurmctld_stop() {
  if [ -n "$slurmctld_pid" ] && kill -0 "$slurmctld_pid" 2>/dev/null; then
    kill "$slurmctld_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$slurmctld_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$slurmctld_pid" 2>/dev/null || true
  fi
  wait "$slurmctld_pid" 2>/dev/null || true
  slurmctld_pid=""
}

slurmctld_require() {
  for tool in slurmctld scontrol "$@"; do
    if ! command -v "$tool" >/dev/null; then
      echo "FAILED: $tool not found (scripts/setup.sh installs slurmctld and slurm-client)"
      exit 1
    fi
  done
}
