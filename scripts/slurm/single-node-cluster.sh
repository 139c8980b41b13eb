# A single-node Slurm cluster on this machine, for tests: munged, slurmctld and
# slurmd as root, their configuration, state, sockets and logs in one temporary
# folder, on ports nobody listens on. Source it, then:
#
#   cluster_start DIR   writes DIR/slurm.conf, starts the daemons, exports
#                       SLURM_CONF and waits until the node is idle
#   cluster_stop        stops the daemons this shell started (by their pids)
#
# No cgroups (proctrack/linuxproc, task/none), no accounting database; the node
# declares the CPUs and memory `slurmd -C` finds. Debian 12's slurm-wlm 22.05.

CLUSTER_DIR=""
CLUSTER_PIDS=()

# A TCP port from $1 upwards that nothing listens on.
cluster_free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# Waits up to $2 seconds for the pid file $1; prints the pid.
cluster_pid_from() {
  local file=$1 limit=$2 waited=0
  while [ ! -s "$file" ]; do
    sleep 0.2; waited=$((waited + 1))
    if [ "$waited" -gt $((limit * 5)) ]; then return 1; fi
  done
  cat "$file"
}

cluster_start() {
  CLUSTER_DIR=$1
  local d=$CLUSTER_DIR
  mkdir -p "$d/munge-key" "$d/munge" "$d/state" "$d/spool"
  # munged wants its key private and its socket's folder open to everyone.
  chmod 700 "$d/munge-key"
  chmod 755 "$d" "$d/munge"
  dd if=/dev/urandom of="$d/munge-key/munge.key" bs=1024 count=1 status=none
  chmod 400 "$d/munge-key/munge.key"
  munged --force --socket="$d/munge/munge.socket" --key-file="$d/munge-key/munge.key" \
    --pid-file="$d/munge/munged.pid" --log-file="$d/munge/munged.log" --seed-file="$d/munge/munged.seed"
  CLUSTER_PIDS+=("$(cluster_pid_from "$d/munge/munged.pid" 10)") || { echo "munged did not start:"; cat "$d/munge/munged.log"; return 1; }

  local ctld_port slurmd_port node
  ctld_port=$(cluster_free_port 16817)
  slurmd_port=$(cluster_free_port $((ctld_port + 1)))
  # NodeName=<host> CPUs=… Boards=… SocketsPerBoard=… CoresPerSocket=… ThreadsPerCore=… RealMemory=…
  node=$(slurmd -C | head -n 1)
  cat > "$d/slurm.conf" <<EOF
ClusterName=ferlabtest
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$d/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
KillWait=5
MinJobAge=600
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=ferlab Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$d/slurm.conf
  slurmctld
  CLUSTER_PIDS+=("$(cluster_pid_from "$d/slurmctld.pid" 20)") || { echo "slurmctld did not start:"; cat "$d/slurmctld.log"; return 1; }
  slurmd
  CLUSTER_PIDS+=("$(cluster_pid_from "$d/slurmd.pid" 20)") || { echo "slurmd did not start:"; cat "$d/slurmd.log"; return 1; }
  local waited=0
  until [ "$(sinfo --noheader --format=%T 2>/dev/null)" = idle ]; do
    sleep 0.5; waited=$((waited + 1))
    if [ "$waited" -gt 60 ]; then
      echo "the node never became idle: $(sinfo 2>&1)"; tail -n 20 "$d/slurmctld.log" "$d/slurmd.log"; return 1
    fi
  done
  echo "cluster: $(sinfo --noheader --format='%P %D node %c CPUs %m MB %T') (slurmctld port $ctld_port, daemons ${CLUSTER_PIDS[*]})"
}

# Stops what cluster_start started: slurmd and slurmctld (their steps and jobs with them), then munged.
cluster_stop() {
  local pid waited
  [ "${#CLUSTER_PIDS[@]}" -gt 0 ] || return 0
  # Last started, first stopped: slurmd, slurmctld, munged.
  for ((i = ${#CLUSTER_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${CLUSTER_PIDS[$i]}
    kill -TERM "$pid" 2>/dev/null || continue
    waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 50 ]; do sleep 0.2; waited=$((waited + 1)); done
    kill -KILL "$pid" 2>/dev/null || true
  done
  CLUSTER_PIDS=()
}
