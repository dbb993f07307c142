#!/usr/bin/env bash
# Starts a whole host by hand (no systemd): the standalone media driver, then the given roles, each as its
# own JVM kept to the housekeeping cores plus its own engine.cpu.<role>; stops them all, in reverse order,
# with SIGTERM on Ctrl-C or when any of them exits.
#   usage: ops/deploy/mm-host.sh CONFIG [ROLE...]   (default roles: journal gateway risk quoting feed-binance)
#   env:   MM_HOUSEKEEPING_CPUS (default 0), MM_LOG_DIR (default ./logs)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
home="$(cd "$here/../.." && pwd)"
config="${1:?usage: mm-host.sh CONFIG [ROLE...]}"; shift
roles=("$@"); [ ${#roles[@]} -gt 0 ] || roles=(journal gateway risk quoting feed-binance)
housekeeping="${MM_HOUSEKEEPING_CPUS:-0}"
logs="${MM_LOG_DIR:-$PWD/logs}"; mkdir -p "$logs"
pids=()

stop_all() {
    for (( i=${#pids[@]}-1; i>=0; i-- )); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
    wait || true
}
trap stop_all INT TERM EXIT

taskset -c "$housekeeping" "$home/mm" run --config "$config" --role driver >"$logs/driver.log" 2>&1 &
pids+=($!)
sleep 2
for role in "${roles[@]}"; do
    cpu="$(MM_HOUSEKEEPING_CPUS="$housekeeping" "$here/role-cpu.sh" "$config" "$role")"
    taskset -c "$housekeeping,$cpu" "$home/mm" run --config "$config" --role "$role" >"$logs/$role.log" 2>&1 &
    pids+=($!)
    echo "mm-host: $role (pid $!, cores $housekeeping,$cpu), log $logs/$role.log"
done
wait -n
echo "mm-host: a process exited; stopping the others" >&2
