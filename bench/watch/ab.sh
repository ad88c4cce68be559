#!/usr/bin/env bash
# Two `porthole watch --interval 2s` at the same time over one farm of 10,000 sockets (1,000
# listeners, 4,500 connections), each through the launcher: A and B differ by jar (A_JAR, B_JAR)
# or by extra JVM options (A_OPTS, B_OPTS, given as PORTHOLE_JAVA_OPTS). Prints each one's CPU
# (% of one core) and RSS over DURATION seconds after start-up and the first cycle, and the CPU
# ticks of each thread in that window (the JIT's share shows there).
#
#   B_JAR=/tmp/old-porthole.jar bench/watch/ab.sh [DURATION]        # default 60
#   A_OPTS="-XX:TieredStopAtLevel=1" bench/watch/ab.sh 90
set -uo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${PORTHOLE_BENCH_NETNS:-}" ] && [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
  exec env PORTHOLE_BENCH_NETNS=1 unshare --net -- bash -c 'ip link set lo up && exec "$0" "$@"' \
    "$0" "$@"
fi
DURATION=${1:-60}
JAR=porthole-cli/target/porthole.jar
source scripts/jdk.sh
JAVA="$(porthole_find_jdk)/bin/java"
./porthole --version >/dev/null   # builds the jar when stale
tmp=$(mktemp -d)
pids=()
trap 'kill ${farm:-} "${pids[@]}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
"$JAVA" bench/watch/SocketFarm.java 1000 4500 > "$tmp/farm.out" &
farm=$!
for _ in $(seq 1 600); do grep -q ready "$tmp/farm.out" 2>/dev/null && break; sleep 0.1; done
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for x in A B; do
  jar_var=${x}_JAR opts_var=${x}_OPTS
  PORTHOLE_JAR=${!jar_var:-$JAR} PORTHOLE_JAVA_OPTS=${!opts_var:-} \
    ./porthole watch --interval 2s --data-dir "$tmp/$x" --no-notify >/dev/null 2>&1 &
  pids+=($!)
done
for _ in $(seq 1 1200); do
  [ -s "$tmp/A/events.jsonl" ] && [ -s "$tmp/B/events.jsonl" ] && break; sleep 0.1
done
sleep 10   # past the cold first cycle (every fd scanned, every listener recorded as opened)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
threads() { # "name ticks" per thread, threads of one name summed
  for t in /proc/"$1"/task/*; do echo "$(tr ' ' _ < "$t/comm") $(ticks "${t#/proc/}")"; done |
    awk '{s[$1] += $2} END {for (n in s) print n, s[n]}' | sort
}
for i in 0 1; do threads "${pids[$i]}" > "$tmp/threads$i.0"; start[$i]=$(ticks "${pids[$i]}"); done
t0=$(date +%s.%N)
sleep "$DURATION"
t1=$(date +%s.%N)
hz=$(getconf CLK_TCK)
for i in 0 1; do
  x=$([ "$i" -eq 0 ] && echo A || echo B); jar_var=${x}_JAR opts_var=${x}_OPTS
  end=$(ticks "${pids[$i]}"); threads "${pids[$i]}" > "$tmp/threads$i.1"
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/${pids[$i]}/status")
  awk -v a="${start[$i]}" -v b="$end" -v t0="$t0" -v t1="$t1" -v hz="$hz" -v rss="$rss" \
    -v label="$x ${!jar_var:-$JAR} ${!opts_var:-}" 'BEGIN {
    printf "%s: CPU %.2f %% of one core (%.2f s over %.0f s), RSS %d MB\n",
      label, 100 * (b - a) / hz / (t1 - t0), (b - a) / hz, t1 - t0, rss }'
  join "$tmp/threads$i.0" "$tmp/threads$i.1" | awk '$3 > $2 {printf "    %s %d ticks\n", $1, $3 - $2}'
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
