#!/usr/bin/env bash
# The recording soak: wrk (HTTP/1.1 keep-alive) through one daemon proxy that records every
# request, for SOAK_SECONDS (default 300), with the daemon's RSS sampled every 5 s. Prints wrk's
# requests/s, the RSS samples (first, last, max), and what the daemon recorded and dropped: the
# goal is 20,000 req/s with 0 records lost and RSS flat. Ports from 64200-64299 (or
# BENCH_PORTS="FIRST LAST"). WRK_CONNECTIONS (default 32), WRK_THREADS (default 2).
#
# Needs: nginx (nginx-light), wrk, python3, curl.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bench/http/lib.sh"
. "$root/scripts/jdk.sh"
java="$(porthole_find_jdk)/bin/java"
secs=${SOAK_SECONDS:-300}
"$root/porthole" --version >/dev/null   # builds the jar when it is stale, before any timing
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
cp "$root/porthole-cli/target/porthole.jar" "$tmp/"
porthole() { exec "$java" -XX:+UseZGC --enable-native-access=ALL-UNNAMED -jar "$tmp/porthole.jar" "$@"; }

range_port up; range_port api; range_port http; range_port https; range_port listen
start_upstream "$tmp/nginx" "$up" nginx_pid; pids+=("$nginx_pid")
porthole up --port "$api" --http-port "$http" --https-port "$https" --data-dir "$tmp/d" \
  --no-watch --no-notify >"$tmp/daemon.log" 2>&1 &
daemon_pid=$!; pids+=("$daemon_pid")
wait_port "$api"
curl -fsS -X POST "http://127.0.0.1:$api/proxies" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench\",\"listen\":\"127.0.0.1:$listen\",\"upstream\":\"127.0.0.1:$up\"}" \
  >/dev/null
wait_port "$listen"; wait_port "$up"
# A short warm-up (JIT), then the idle RSS the soak is measured against.
wrk -t1 -c4 -d3s "http://127.0.0.1:$listen/" >/dev/null
sleep 2
rss() { awk '/VmRSS/ {print $2}' "/proc/$daemon_pid/status"; }
echo "load before: $(uptime)"
echo "idle RSS after warm-up: $(rss) kB"
(
  end=$((SECONDS + secs))
  while [ "$SECONDS" -lt "$end" ]; do echo "$SECONDS $(rss)"; sleep 5; done
) >"$tmp/rss" &
sampler=$!
wrk -t "${WRK_THREADS:-2}" -c "${WRK_CONNECTIONS:-32}" -d "${secs}s" --latency \
  "http://127.0.0.1:$listen/" >"$tmp/wrk"
wait "$sampler" || true
echo "load after: $(uptime)"
grep -E "requests in|Requests/sec|Socket errors|Non-2xx|^ +(50|99)%" "$tmp/wrk"
sleep 3   # the writer batches: let it write the last records
# Live heap after a full GC (RSS alone says little under ZGC, which grows the heap lazily).
"$(dirname "$java")/jcmd" "$daemon_pid" GC.run >/dev/null 2>&1 || true
echo "heap after a full GC: $("$(dirname "$java")/jcmd" "$daemon_pid" GC.heap_info 2>/dev/null \
  | grep -oE 'used [0-9]+M' | head -1) (RSS then $(rss) kB)"
# Why decoding stopped on the connections recorded (a spliced connection is counted, not decoded).
curl -fsS "http://127.0.0.1:$api/api/proxies/bench/capture" | python3 -c '
import collections, json, sys
rs = json.load(sys.stdin)
print("records by decodingStopped:", dict(collections.Counter(str(r.get("decodingStopped")) for r in rs)))'
status=$(curl -fsS "http://127.0.0.1:$api/api/capture/status")
stats=$(curl -fsS "http://127.0.0.1:$api/api/proxies/bench/stats")
python3 - "$tmp/rss" "$tmp/wrk" "$status" "$stats" <<'PY'
import json, re, sys
samples = [int(l.split()[1]) for l in open(sys.argv[1]) if len(l.split()) == 2]
sent = int(re.search(r"(\d+) requests in", open(sys.argv[2]).read()).group(1))
c, s = json.loads(sys.argv[3]), json.loads(sys.argv[4])
print("RSS kB over the soak: first %d, last %d, max %d, min %d (%d samples)"
      % (samples[0], samples[-1], max(samples), min(samples), len(samples)))
print("wrk completed %d requests; the daemon's stats counted %d; dropped chunks %d, dropped"
      " records %d, connection records written %d, not HTTP %d"
      % (sent, s["total"]["requests"], c["droppedChunks"], c["droppedRecords"], c["written"],
         c["notHttp"]))
PY
