#!/usr/bin/env bash
# The recording soak: wrk (HTTP/1.1 keep-alive) through one daemon proxy that records every
# request, for SOAK_SECONDS (default 300), with the daemon's RSS sampled every 5 s and printed
# every 30 s. The daemon runs through the launcher (a private copy of it and of the jar), so its
# heap bound applies: PORTHOLE_HEAP (default 128m). The same wrk straight to the upstream, for
# DIRECT_SECONDS (default 20) before the soak, gives the yardstick: on 2 shared cores wrk, nginx
# and the proxy compete, and the ratio says more than the req/s alone. Prints req/s, the RSS
# samples (first, last, max) and what the daemon recorded and dropped: the goal is 20,000 req/s
# with 0 records lost and RSS flat. Ports from 64200-64299 (or BENCH_PORTS="FIRST LAST").
# WRK_CONNECTIONS (default 32), WRK_THREADS (default 2). SOAK_JFR=FILE records a JFR profile.
#
# Needs: nginx (nginx-light), wrk, python3, curl.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bench/http/lib.sh"
secs=${SOAK_SECONDS:-300}
direct_secs=${DIRECT_SECONDS:-20}
"$root/porthole" --version >/dev/null   # builds the jar when it is stale, before any timing
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "${SOAK_LOG:-}" ] && cp "$tmp/daemon.log" "$SOAK_LOG" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
# A private install: the launcher without a pom.xml next to it never rebuilds, so a rebuild of
# the checkout during the run cannot touch the jar being measured.
mkdir -p "$tmp/inst/scripts" "$tmp/inst/porthole-cli/target"
cp "$root/porthole" "$tmp/inst/"
cp "$root/scripts/jdk.sh" "$root/scripts/jvm-options.sh" "$tmp/inst/scripts/"
cp "$root/porthole-cli/target/porthole.jar" "$tmp/inst/porthole-cli/target/"
jfr=()
[ -n "${SOAK_JFR:-}" ] && jfr=("-XX:StartFlightRecording=filename=$SOAK_JFR,settings=profile")
wrk_args=(-t "${WRK_THREADS:-2}" -c "${WRK_CONNECTIONS:-32}" --latency)

range_port up; range_port api; range_port http; range_port https; range_port listen
start_upstream "$tmp/nginx" "$up" nginx_pid; pids+=("$nginx_pid")
PORTHOLE_JAVA_OPTS="${jfr[*]:-}" "$tmp/inst/porthole" up --port "$api" --http-port "$http" \
  --https-port "$https" --data-dir "$tmp/d" --no-watch --no-notify >"$tmp/daemon.log" 2>&1 &
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
echo "daemon: $(tr '\0' ' ' <"/proc/$daemon_pid/cmdline" | grep -oE -- '-Xmx[^ ]+|-XX:\+Use[A-Za-z]+GC')"
wrk "${wrk_args[@]}" -d "${direct_secs}s" "http://127.0.0.1:$up/" >"$tmp/direct"
echo "idle RSS after warm-up: $(rss) kB"
(
  end=$((SECONDS + secs))
  while [ "$SECONDS" -lt "$end" ]; do echo "$SECONDS $(rss)"; sleep 5; done
) >"$tmp/rss" &
sampler=$!
(
  # Every 30 s: the RSS and what the daemon has recorded and dropped so far.
  start=$SECONDS
  while sleep 30; do
    s=$(curl -fsS "http://127.0.0.1:$api/api/capture/status" 2>/dev/null || echo '{}')
    python3 -c '
import json, sys
c = json.loads(sys.argv[3] or "{}")
print("t=%4ss RSS %7s kB  written %s  dropped records %s  dropped chunks %s  backlog %s B"
      % (sys.argv[1], sys.argv[2], c.get("written"), c.get("droppedRecords"),
         c.get("droppedChunks"), c.get("backlogBytes")))' "$((SECONDS - start))" "$(rss)" "$s"
  done
) &
reporter=$!; pids+=("$reporter")
wrk "${wrk_args[@]}" -d "${secs}s" "http://127.0.0.1:$listen/" >"$tmp/wrk"
kill "$reporter" 2>/dev/null || true
wait "$sampler" || true
echo "load after: $(uptime)"
echo "direct to the upstream (${direct_secs}s, before the soak):"
grep -E "Requests/sec" "$tmp/direct"
echo "through the recording proxy (${secs}s):"
grep -E "requests in|Requests/sec|Socket errors|Non-2xx|^ +(50|99)%" "$tmp/wrk"
sleep 3   # the writer batches: let it write the last records
jcmd="$(dirname "$(readlink -f "$(tr '\0' '\n' <"/proc/$daemon_pid/cmdline" | head -1)")")/jcmd"
"$jcmd" "$daemon_pid" GC.run >/dev/null 2>&1 || true
# The serial collector's young and old generations, added up.
echo "heap after a full GC: $("$jcmd" "$daemon_pid" GC.heap_info 2>/dev/null \
  | awk '/^ *(DefNew|Tenured|def new|tenured)/ && match($0, /used [0-9]+K/) { n += substr($0, RSTART + 5, RLENGTH - 6) }
         END { printf "%d kB used", n }') (RSS then $(rss) kB)"
[ -n "${SOAK_JFR:-}" ] && "$jcmd" "$daemon_pid" JFR.dump filename="$SOAK_JFR" >/dev/null
# Why decoding stopped on the connections recorded (a spliced connection is counted, not decoded).
curl -fsS "http://127.0.0.1:$api/api/proxies/bench/capture" | python3 -c '
import collections, json, sys
rs = json.load(sys.stdin)
print("records by decodingStopped:", dict(collections.Counter(str(r.get("decodingStopped")) for r in rs)))'
status=$(curl -fsS "http://127.0.0.1:$api/api/capture/status")
stats=$(curl -fsS "http://127.0.0.1:$api/api/proxies/bench/stats")
python3 - "$tmp/rss" "$tmp/wrk" "$tmp/direct" "$status" "$stats" <<'PY'
import json, re, sys
samples = [int(l.split()[1]) for l in open(sys.argv[1]) if len(l.split()) == 2]
text = open(sys.argv[2]).read()
sent = int(re.search(r"(\d+) requests in", text).group(1))
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
direct = float(re.search(r"Requests/sec:\s+([\d.]+)", open(sys.argv[3]).read()).group(1))
c, s = json.loads(sys.argv[4]), json.loads(sys.argv[5])
print("req/s through the recording proxy %.0f, direct %.0f: %.3fx of direct"
      % (rate, direct, rate / direct))
print("RSS kB over the soak: first %d, last %d, max %d, min %d (%d samples)"
      % (samples[0], samples[-1], max(samples), min(samples), len(samples)))
print("wrk completed %d requests; the daemon's stats counted %d (%d not counted); dropped chunks"
      " %d, dropped records %d, connection records written %d, not HTTP %d"
      % (sent, s["total"]["requests"], sent - s["total"]["requests"], c["droppedChunks"],
         c["droppedRecords"], c["written"], c["notHttp"]))
PY
