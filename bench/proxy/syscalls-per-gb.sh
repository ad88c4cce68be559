#!/usr/bin/env bash
# System calls, epoll wake-ups, context switches and CPU per GB carried, of proxies already running,
# each counted by `perf stat -p` over one iperf3 run of STREAMS parallel streams through it; the
# proxies take turns, ROUNDS times. Needs perf (syscalls tracepoints) and iperf3.
#
#   bench/proxy/syscalls-per-gb.sh STREAMS SECONDS ROUNDS NAME=PID:PORT...
#   e.g. bench/proxy/syscalls-per-gb.sh 8 3 2 porthole=4242:23101 haproxy=4243:23102
set -euo pipefail
[ $# -ge 4 ] || { sed -n 6p "$0" | sed 's/^#   /usage: /' >&2; exit 2; }
streams=$1 seconds=$2 rounds=$3; shift 3
events=syscalls:sys_enter_splice,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait
events=$events,syscalls:sys_enter_epoll_pwait2,syscalls:sys_enter_epoll_ctl,context-switches,task-clock
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '%-10s %7s %9s %9s %9s %9s %8s\n' peer GB splice/GB wakes/GB ctl/GB cswch/GB cpu-s/GB
for ((r = 1; r <= rounds; r++)); do
  for spec in "$@"; do
    name=${spec%%=*} pid=${spec#*=}; port=${pid#*:}; pid=${pid%%:*}
    perf stat -x, -e "$events" -p "$pid" -o "$tmp/stat" -- sleep $((seconds + 1)) &
    sleep 0.3
    gb=$(iperf3 -c 127.0.0.1 -p "$port" -t "$seconds" -P "$streams" -J \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bytes"] / 1e9)')
    wait
    awk -F, -v n="$name" -v gb="$gb" '
      /sys_enter_splice/ { s = $1 } $3 ~ /sys_enter_epoll_p?wait2?$/ { w += $1 }
      /sys_enter_epoll_ctl/ { c = $1 } /context-switches/ { x = $1 } /task-clock/ { t = $1 / 1000 }
      END { printf "%-10s %7.2f %9.0f %9.0f %9.0f %9.0f %8.3f\n", n, gb, s/gb, w/gb, c/gb, x/gb, t/gb }
    ' "$tmp/stat"
  done
done
