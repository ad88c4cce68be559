#!/usr/bin/env bash
# porthole's recording proxy against mitmdump (Debian's mitmproxy, reverse-proxy mode, quiet) in
# the same run: wrk (HTTP/1.1 keep-alive) in alternating rounds through each to one nginx, with
# the upstream direct as the yardstick. Prints req/s, p50/p99, the porthole/mitmdump ratio and the
# p50 each adds. Ports from 64200-64299 (or BENCH_PORTS="FIRST LAST"). Extra arguments go
# to wrk-rounds.py (--rounds N --seconds N --connections N).
#
# Needs: nginx (nginx-light), wrk, python3, curl, mitmdump (mitmproxy).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bench/http/lib.sh"
command -v mitmdump >/dev/null || { echo "mitmdump not found: apt-get install mitmproxy" >&2; exit 3; }
bench_private_jar

range_port up; range_port api; range_port http; range_port https; range_port listen
range_port mitm
start_upstream "$tmp/nginx" "$up" nginx_pid; pids+=("$nginx_pid")
porthole up --port "$api" --http-port "$http" --https-port "$https" --data-dir "$tmp/d" \
  --no-watch --no-notify >"$tmp/daemon.log" 2>&1 &
pids+=("$!")
wait_port "$api"
curl -fsS -X POST "http://127.0.0.1:$api/proxies" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench\",\"listen\":\"127.0.0.1:$listen\",\"upstream\":\"127.0.0.1:$up\"}" \
  >/dev/null
HOME=$tmp mitmdump -q --mode "reverse:http://127.0.0.1:$up" --listen-host 127.0.0.1 \
  --listen-port "$mitm" >"$tmp/mitmdump.log" 2>&1 &
pids+=("$!")
wait_port "$listen"; wait_port "$up"; wait_port "$mitm"
echo "load before: $(uptime)"
python3 "$root/bench/http/wrk-rounds.py" \
  --target "direct=http://127.0.0.1:$up/" \
  --target "porthole-recording=http://127.0.0.1:$listen/" \
  --target "mitmdump=http://127.0.0.1:$mitm/" \
  --pair porthole-recording:mitmdump "$@"
echo "load after: $(uptime)"
