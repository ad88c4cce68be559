#!/usr/bin/env bash
# Whether a recorded bulk HTTP stream keeps its splice speed: curl downloads a large file (one
# Content-Length body, spliced past the preview while the connection stays decoded) over one
# keep-alive connection, with small requests in between, directly, through a daemon proxy of
# `porthole up --no-capture` (spliced after 256 KiB, not decoded) and through the same proxy of a
# recording daemon, in alternating rounds. Prints MB/s per target, the on/off ratio per round, and
# what the recording daemon recorded (every request, and why decoding stopped if it did).
# Usage: bench/capture/bulk.sh [ROUNDS] [MIB]. Ports from 64200-64299 (or BENCH_PORTS).
#
# Needs: nginx (nginx-light), python3, curl.
set -euo pipefail
rounds=${1:-5}
mib=${2:-512}
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bench/http/lib.sh"
bench_private_jar

range_port up
start_upstream "$tmp/nginx" "$up" nginx_pid; pids+=("$nginx_pid")
head -c "$((mib * 1024 * 1024))" /dev/urandom >"$tmp/nginx/www/big.bin"

daemon() {
  local api http https listen flags=()
  range_port api; range_port http; range_port https; range_port listen
  [ "$1" = off ] && flags=(--no-capture)
  porthole up --port "$api" --http-port "$http" --https-port "$https" --data-dir "$tmp/$1" \
    --no-watch --no-notify "${flags[@]}" >"$tmp/$1.log" 2>&1 &
  pids+=("$!")
  wait_port "$api"
  curl -fsS -X POST "http://127.0.0.1:$api/proxies" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench\",\"listen\":\"127.0.0.1:$listen\",\"upstream\":\"127.0.0.1:$up\"}" \
    >/dev/null
  wait_port "$listen"
  printf -v "${1}_api" '%s' "$api"
  printf -v "${1}_port" '%s' "$listen"
}
daemon on
daemon off
wait_port "$up"

# One keep-alive connection: big, small, big, small, big. Prints the big downloads' MB/s.
fetch() {
  local base="http://127.0.0.1:$1"
  curl -fsS -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null \
    -w '%{size_download} %{speed_download}\n' \
    "$base/big.bin" "$base/index.html" "$base/big.bin" "$base/index.html" "$base/big.bin" |
    awk -v want=$((mib * 1024 * 1024)) '$1 == want { s += $2; n++ } END { printf "%.0f", s / n / 1e6 }'
}

echo "load before: $(uptime)"
fetch "$up" >/dev/null; fetch "$off_port" >/dev/null; fetch "$on_port" >/dev/null   # warm-up
declare -a d o n r
for i in $(seq "$rounds"); do
  d+=("$(fetch "$up")"); o+=("$(fetch "$off_port")"); n+=("$(fetch "$on_port")")
  r+=("$(python3 -c "print('%.2f' % (${n[-1]} / ${o[-1]}))")")
  echo "round $i/$rounds: direct ${d[-1]} MB/s  capture-off ${o[-1]} MB/s  capture-on ${n[-1]} MB/s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "median MB/s: direct $(median "${d[@]}")  capture-off $(median "${o[@]}")  capture-on $(median "${n[@]}")"
echo "capture-on/capture-off: median $(median "${r[@]}") (rounds: ${r[*]})"
echo "load after: $(uptime)"
sleep 2   # the recorder's writer batches
curl -fsS "http://127.0.0.1:$on_api/api/proxies/bench/capture" | python3 -c '
import json, sys, collections
records = json.load(sys.stdin)
records = records.get("records", records) if isinstance(records, dict) else records
stopped = collections.Counter(str(r.get("decodingStopped")) for r in records)
reqs = sum(r.get("exchangesSeen", 0) for r in records)
print("capture-on: %d connection records, %d requests decoded, decodingStopped %s" % (len(records), reqs, dict(stopped)))
print("  bodies: %s" % sorted({(x["target"], x["responseBodySize"]) for r in records for x in r.get("exchanges", [])}))'
