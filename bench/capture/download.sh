#!/usr/bin/env bash
# A 1 GB download through a recording daemon proxy: curl fetches a 1 GiB sparse file from nginx
# through the proxy, while the daemon's RSS is sampled every 0.2 s. Prints the idle RSS (after a
# warm-up), the peak during the download, the final RSS (after the record was written), the
# download's speed and what the daemon recorded. Goal: peak within 50 MB of idle. The daemon runs
# through the launcher (a private copy), so PORTHOLE_HEAP applies (default 128m). Ports from
# 64200-64299 (or BENCH_PORTS="FIRST LAST"). DOWNLOAD_MB (default 1024) sets the size.
#
# Needs: nginx (nginx-light), curl, python3.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bench/http/lib.sh"
mb=${DOWNLOAD_MB:-1024}
"$root/porthole" --version >/dev/null   # builds the jar when it is stale, before any timing
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/inst/scripts" "$tmp/inst/porthole-cli/target"
cp "$root/porthole" "$tmp/inst/"
cp "$root/scripts/jdk.sh" "$root/scripts/jvm-options.sh" "$tmp/inst/scripts/"
cp "$root/porthole-cli/target/porthole.jar" "$tmp/inst/porthole-cli/target/"

range_port up; range_port api; range_port http; range_port https; range_port listen
start_upstream "$tmp/nginx" "$up" nginx_pid; pids+=("$nginx_pid")
truncate -s "${mb}M" "$tmp/nginx/www/big.bin"   # sparse: no disk, no page cache to speak of
chmod a+r "$tmp/nginx/www/big.bin"
"$tmp/inst/porthole" up --port "$api" --http-port "$http" --https-port "$https" \
  --data-dir "$tmp/d" --no-watch --no-notify >"$tmp/daemon.log" 2>&1 &
daemon_pid=$!; pids+=("$daemon_pid")
wait_port "$api"
curl -fsS -X POST "http://127.0.0.1:$api/proxies" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench\",\"listen\":\"127.0.0.1:$listen\",\"upstream\":\"127.0.0.1:$up\"}" \
  >/dev/null
wait_port "$listen"; wait_port "$up"
rss() { awk '/VmRSS/ {print $2}' "/proc/$daemon_pid/status"; }
# Warm-up: a few small requests and a 64 MB download, so the idle figure includes the JIT's code
# and the buffers a download needs once.
for _ in 1 2 3 4 5; do curl -fsS -o /dev/null "http://127.0.0.1:$listen/"; done
curl -fsS -o /dev/null -r 0-67108863 "http://127.0.0.1:$listen/big.bin"
sleep 3
idle=$(rss)
echo "load before: $(uptime)"
echo "daemon: $(tr '\0' ' ' <"/proc/$daemon_pid/cmdline" | grep -oE -- '-Xmx[^ ]+|-XX:\+Use[A-Za-z]+GC' | tr '\n' ' ')"
( while sleep 0.2; do rss; done ) >"$tmp/rss" &
sampler=$!; pids+=("$sampler")
curl -fsS -o /dev/null -w '%{size_download} %{time_total} %{speed_download}\n' \
  "http://127.0.0.1:$listen/big.bin" >"$tmp/curl"
sleep 3   # the record is written by the batched writer
kill "$sampler" 2>/dev/null || true
final=$(rss)
echo "load after: $(uptime)"
status=$(curl -fsS "http://127.0.0.1:$api/api/capture/status")
last=$(curl -fsS "http://127.0.0.1:$api/api/proxies/bench/capture" | python3 -c '
import base64, json, sys
r = json.load(sys.stdin)[-1]
x = r["exchanges"][0] if r["exchanges"] else {}
print("the record: %s, %d bytes down, decodingStopped %s, response body: %d bytes kept of the"
      " %s decoded" % (r["kind"], r["bytesDown"], r.get("decodingStopped"),
                       len(base64.b64decode(x.get("responseBody") or "")),
                       x.get("responseBodySize")))')
python3 - "$idle" "$final" "$tmp/rss" "$tmp/curl" "$status" "$last" <<'PY'
import json, sys
idle, final = int(sys.argv[1]), int(sys.argv[2])
samples = [int(l) for l in open(sys.argv[3]) if l.strip()]
size, secs, speed = open(sys.argv[4]).read().split()
c = json.loads(sys.argv[5])
peak = max(samples + [final])
print("downloaded %d bytes in %.2f s (%.0f MB/s) through the recording proxy"
      % (int(size), float(secs), float(speed) / 1e6))
print("RSS idle %d kB, peak %d kB (+%.1f MB), final %d kB (+%.1f MB); %d samples"
      % (idle, peak, (peak - idle) / 1024, final, (final - idle) / 1024, len(samples)))
print(sys.argv[6])
print("dropped chunks %d, dropped records %d, written %d"
      % (c["droppedChunks"], c["droppedRecords"], c["written"]))
print("goal (peak within 50 MB of idle): %s" % ("met" if peak - idle <= 50 * 1024 else "NOT met"))
PY
