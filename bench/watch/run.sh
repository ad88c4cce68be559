#!/usr/bin/env bash
# Watch overhead with 10,000 sockets open: the time of one snapshot+diff cycle, then CPU (% of one
# core) and RSS of `porthole watch --interval 2s` over DURATION seconds (default 180).
#
#   bench/watch/run.sh [DURATION] [LISTENERS] [CONNECTIONS]   # default 180 1000 4500
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-180}
LISTENERS=${2:-1000}
CONNECTIONS=${3:-4500}
source scripts/jdk.sh
JAVA="$(porthole_find_jdk)/bin/java"
./porthole --version >/dev/null   # builds porthole-cli/target/porthole.jar when stale
JAR=porthole-cli/target/porthole.jar
ulimit -n 65536 2>/dev/null || true
tmp=$(mktemp -d)
trap 'kill ${farm:-} ${watch:-} 2>/dev/null || true; rm -rf "$tmp"' EXIT

"$JAVA" bench/watch/SocketFarm.java "$LISTENERS" "$CONNECTIONS" > "$tmp/farm.out" &
farm=$!
for _ in $(seq 1 600); do grep -q ready "$tmp/farm.out" 2>/dev/null && break; sleep 0.1; done
cat "$tmp/farm.out"

echo "== one snapshot+diff cycle"
"$JAVA" -cp "$JAR" bench/watch/CycleBench.java 200

echo "== porthole watch --interval 2s for ${DURATION}s"
"$JAVA" -jar "$JAR" watch --interval 2s --data-dir "$tmp/data" --no-notify > /dev/null &
watch=$!
sleep 15   # start-up and the first (cold) cycle are not the steady state
ticks() { awk '{print $14 + $15}' "/proc/$watch/stat"; }
start=$(ticks); t0=$(date +%s.%N); rss_max=0
end=$(( $(date +%s) + DURATION ))
while [ "$(date +%s)" -lt "$end" ]; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$watch/status"); [ "$rss" -gt "$rss_max" ] && rss_max=$rss
  sleep 1
done
stop=$(ticks); t1=$(date +%s.%N)
hz=$(getconf CLK_TCK)
awk -v a="$start" -v b="$stop" -v t0="$t0" -v t1="$t1" -v hz="$hz" -v rss="$rss_max" 'BEGIN {
  printf "CPU: %.2f %% of one core (%.1f s CPU over %.0f s)\n", 100 * (b - a) / hz / (t1 - t0), (b - a) / hz, t1 - t0;
  printf "RSS: %.0f MB max\n", rss / 1024 }'
