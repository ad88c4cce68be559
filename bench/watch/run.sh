#!/usr/bin/env bash
# Watch overhead with 10,000 sockets open: the time of one snapshot+diff cycle, then CPU (% of one
# core) and RSS of `porthole watch --interval 2s` over DURATION seconds (default 180), run through
# the launcher as people run it (its JVM options): once reading sockets over netlink (the default)
# and at the same time once with PORTHOLE_SOCKETS=proc (the /proc/net fallback, as before netlink).
#
#   bench/watch/run.sh [DURATION] [LISTENERS] [CONNECTIONS] [INTERVAL]   # default 180 1000 4500 2s
set -euo pipefail
cd "$(dirname "$0")/../.."
# A network namespace of its own (when root): /proc/net then lists the farm's sockets only, not
# those of whatever else runs on a shared machine. Loopback is brought up inside it.
if [ -z "${PORTHOLE_BENCH_NETNS:-}" ] && [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
  exec env PORTHOLE_BENCH_NETNS=1 unshare --net -- bash -c 'ip link set lo up && exec "$0" "$@"' \
    "$0" "$@"
fi
DURATION=${1:-180}
LISTENERS=${2:-1000}
CONNECTIONS=${3:-4500}
INTERVAL=${4:-2s}
source scripts/jdk.sh
JAVA="$(porthole_find_jdk)/bin/java"
./porthole --version >/dev/null   # builds porthole-cli/target/porthole.jar when stale
JAR=porthole-cli/target/porthole.jar
ulimit -n 65536 2>/dev/null || true
tmp=$(mktemp -d)
pids=()
trap 'kill ${farm:-} "${pids[@]}" 2>/dev/null || true; rm -rf "$tmp"' EXIT

"$JAVA" bench/watch/SocketFarm.java "$LISTENERS" "$CONNECTIONS" > "$tmp/farm.out" &
farm=$!
for _ in $(seq 1 600); do grep -q ready "$tmp/farm.out" 2>/dev/null && break; sleep 0.1; done
cat "$tmp/farm.out"

for src in netlink proc; do
  echo "== one snapshot+diff cycle, sockets from $src"
  PORTHOLE_SOCKETS=$src "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$JAR" \
    bench/watch/CycleBench.java 200
done

# measure LABEL: samples the watch whose pid is in $tmp/LABEL.pid, prints CPU % and max RSS.
measure() {
  local pid; pid=$(cat "$tmp/$1.pid")
  # Start-up and the first (cold) cycle, which scans every fd and records every listener as
  # opened, are not the steady state: wait until that cycle has written its events.
  for _ in $(seq 1 1200); do [ -s "$tmp/$1/events.jsonl" ] && break; sleep 0.1; done
  sleep 10
  local start t0 rss_max=0 rss end
  start=$(awk '{print $14 + $15}' "/proc/$pid/stat"); t0=$(date +%s.%N)
  end=$(( $(date +%s) + DURATION ))
  while [ "$(date +%s)" -lt "$end" ]; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status"); [ "$rss" -gt "$rss_max" ] && rss_max=$rss
    sleep 1
  done
  awk -v a="$start" -v b="$(awk '{print $14 + $15}' "/proc/$pid/stat")" -v t0="$t0" \
      -v t1="$(date +%s.%N)" -v hz="$(getconf CLK_TCK)" -v rss="$rss_max" -v label="$1" 'BEGIN {
    printf "%-8s CPU %.2f %% of one core (%.1f s CPU over %.0f s), RSS max %.0f MB\n",
      label, 100 * (b - a) / hz / (t1 - t0), (b - a) / hz, t1 - t0, rss / 1024 }'
}

echo "== porthole watch --interval $INTERVAL for ${DURATION}s (both at once)"
./porthole watch --interval "$INTERVAL" --data-dir "$tmp/default" --no-notify > /dev/null &
echo $! > "$tmp/default.pid"; pids+=($!)
PORTHOLE_SOCKETS=proc \
  ./porthole watch --interval "$INTERVAL" --data-dir "$tmp/procnet" --no-notify > /dev/null &
echo $! > "$tmp/procnet.pid"; pids+=($!)
measure default > "$tmp/default.txt" &
m1=$!
measure procnet > "$tmp/procnet.txt" &
m2=$!
wait "$m1" "$m2"
cat "$tmp/default.txt" "$tmp/procnet.txt"
