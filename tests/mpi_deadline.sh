#!/usr/bin/env bash
# mpi_deadline.sh TOPOPLAN CHECKER OUTDIR probe|allreduce|allreduce-mpi KILL|STOP: starts a 4-rank
# job (allreduce: our ring; allreduce-mpi: the blocking MPI_Allreduce under its watchdog), waits
# until it has measured something, then kills rank 2 (KILL) or stops it like a hung process
# (STOP). The job must end within --timeout + 15 s of that, rank 0 must say what happened, and the
# document must hold what was measured, marked incomplete (CHECKER: check_incomplete_json), and
# no rank process may outlive the job.
set -uo pipefail
topoplan=$1 checker=$2 outdir=$3 command=$4 signal=$5
if ! command -v mpirun >/dev/null; then
  echo "SKIP: mpirun not found"
  exit 77
fi
timeout_s=5
mkdir -p "$outdir"
doc="$outdir/deadline-$command-$signal.json"
log="$outdir/deadline-$command-$signal.log"
rm -f "$doc" "$log"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
if [ "$command" = probe ]; then
  args=(probe --paths mpi --sizes 4K,1M --iters 2000 --serial --out "$doc")
  started() { tr '\r' '\n' < "$log" | grep -q "round [1-9]/"; }
  min_entries=1
else
  algo=ring
  [ "$command" = allreduce-mpi ] && algo=mpi
  args=(allreduce --algo "$algo" -b 256K -e 64M -w 2 -n 40 --json "$doc")
  started() { [ "$(grep -cE '^ +[0-9]+ +[0-9]+ +float' "$log")" -ge 2 ]; }
  min_entries=2
fi

mpirun -np 4 --oversubscribe --mca btl self,vader "$topoplan" "${args[@]}" \
  --timeout "$timeout_s" >"$log" 2>&1 &
launcher=$!
cleanup() {
  # A stopped rank must not outlive the test.
  pkill -KILL -P "$launcher" 2>/dev/null
  kill -KILL "$launcher" 2>/dev/null
  wait "$launcher" 2>/dev/null
}
trap cleanup EXIT

for _ in $(seq 600); do
  started && break
  kill -0 "$launcher" 2>/dev/null || break
  sleep 0.1
done
if ! started; then
  cat "$log"
  echo "FAILED: the job did not start measuring"
  exit 1
fi
victim=""
ranks=$(pgrep -P "$launcher")
for pid in $ranks; do
  if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx 'OMPI_COMM_WORLD_RANK=2'; then
    victim=$pid
  fi
done
if [ -z "$victim" ]; then
  echo "FAILED: no process of rank 2 under mpirun $launcher"
  exit 1
fi
echo "signalling rank 2 (pid $victim) with SIG$signal"
kill "-$signal" "$victim"
signalled_ms=$(($(date +%s%N) / 1000000))
limit=$((timeout_s + 15))
code=""
for _ in $(seq $((limit * 10 + 50))); do
  if ! kill -0 "$launcher" 2>/dev/null; then
    wait "$launcher"
    code=$?
    break
  fi
  sleep 0.1
done
ended_ms=$(($(date +%s%N) / 1000000))
tr '\r' '\n' < "$log" | grep -v '^\[' | tail -25
elapsed_ms=$((ended_ms - signalled_ms))
echo "the job ended ${elapsed_ms} ms after the signal, exit code ${code:-none}"

failed=0
fail() {
  echo "FAILED: $*"
  failed=1
}
[ -n "$code" ] || fail "the job still ran $limit s after the signal"
for pid in $ranks; do
  if kill -0 "$pid" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
    fail "rank process $pid outlived the job"
  fi
done
[ "$elapsed_ms" -le $((limit * 1000)) ] || fail "ended after $elapsed_ms ms, expected <= $limit s"
if [ "$signal" = STOP ]; then
  # Every rank but the stopped one hits the deadline; rank 0's roll call names the lost one.
  [ "$code" = 3 ] || fail "exit code $code, expected 3"
  if grep -q "rank 2 (host [^)]*) did not answer" "$log"; then
    "$checker" "$doc" 2 "$min_entries" || failed=1
  elif [ "$command" = allreduce-mpi ] && grep -q "rank 0: error: .*MPI_Allreduce of [0-9]* bytes did not return within" "$log"; then
    "$checker" "$doc" -1 "$min_entries" || failed=1  # the blocking call cannot name the rank
  else
    fail "rank 0 does not name rank 2"
  fi
else
  # mpirun ends the job when a rank dies: rank 0 writes what it has when it is told to stop
  # (or, when MPI itself reports the lost peer first, when that call fails).
  [ "${code:-0}" != 0 ] || fail "exit code 0 after a rank was killed"
  grep -Eq "rank 0: error: .*(ended by SIGTERM|failed)" "$log" || fail "rank 0 does not say why it ended"
  "$checker" "$doc" -1 "$min_entries" || failed=1
fi
[ "$failed" = 0 ] && echo "OK: $command with rank 2 SIG$signal ended in time with a partial document"
exit "$failed"
