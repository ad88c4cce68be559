#!/usr/bin/env bash
# What recording costs: wrk (HTTP/1.1 keep-alive) through a daemon proxy that records every
# request (capture on, the default of `porthole up`) and through the same proxy of a second
# daemon started with --no-capture, against one nginx upstream, in alternating rounds, with the
# upstream direct as the yardstick. Prints req/s, p50/p99 and the on/off ratio (goal: >= 0.90).
# Ports come from 64200-64299. Extra arguments go to wrk-rounds.py (--rounds N --seconds N
# --connections N --json FILE).
#
# Needs: nginx (nginx-light), wrk, python3, curl.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bench/http/lib.sh"
. "$root/scripts/jdk.sh"
java="$(porthole_find_jdk)/bin/java"
"$root/porthole" --version >/dev/null   # builds the jar when it is stale, before any timing
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
# A private copy, so a rebuild during the run cannot touch the jar being measured.
cp "$root/porthole-cli/target/porthole.jar" "$tmp/"
porthole() { exec "$java" -XX:+UseZGC --enable-native-access=ALL-UNNAMED -jar "$tmp/porthole.jar" "$@"; }

range_port up
start_upstream "$tmp/nginx" "$up" nginx_pid; pids+=("$nginx_pid")

# Starts a daemon ($1: on|off) with one proxy to the upstream; sets ${1}_api and ${1}_port.
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

echo "load before: $(uptime)"
python3 "$root/bench/http/wrk-rounds.py" \
  --target "direct=http://127.0.0.1:$up/" \
  --target "capture-off=http://127.0.0.1:$off_port/" \
  --target "capture-on=http://127.0.0.1:$on_port/" \
  --pair capture-on:capture-off "$@"
echo "load after: $(uptime)"
# Proof that the recording daemon did record (and the other did not), and of what it dropped.
for side in on off; do
  api_var=${side}_api
  status=$(curl -fsS "http://127.0.0.1:${!api_var}/api/capture/status")
  stats=$(curl -fsS "http://127.0.0.1:${!api_var}/api/proxies/bench/stats")
  python3 -c '
import json, sys
c, s = json.loads(sys.argv[2]), json.loads(sys.argv[3])
print("capture-%s: enabled %s, connection records written %d, dropped records %d, dropped chunks"
      " %d, requests in stats %d" % (sys.argv[1], c["enabled"], c["written"], c["droppedRecords"],
                                     c["droppedChunks"], s["total"]["requests"]))' "$side" "$status" "$stats"
done
