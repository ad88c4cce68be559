#!/usr/bin/env bash
# What recording costs: wrk (HTTP/1.1 keep-alive) through a daemon proxy that records every
# request (capture on, the default of `porthole up`) and through the same proxy of a second
# daemon started with --no-capture, against one nginx upstream, in alternating rounds, with the
# upstream direct as the yardstick. Prints req/s, p50/p99 and the on/off ratio (goal: >= 0.90),
# then each daemon's CPU time per request (from /proc, three alternating 4 s wrk runs each): on a
# machine shared with others the req/s ratio moves with the neighbours, the CPU per request less.
# CAPTURE_NO_SPLICE=1 puts a noop toxic on both proxies, so that no link is spliced after its first
# 256 KiB and the recording decodes every request. Ports come from 64200-64299 (or BENCH_PORTS).
# Extra arguments go to wrk-rounds.py (--rounds N --seconds N --connections N --json FILE).
#
# Needs: nginx (nginx-light), wrk, python3, curl.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bench/http/lib.sh"
bench_private_jar

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
  printf -v "${1}_pid" '%s' "$!"
  wait_port "$api"
  curl -fsS -X POST "http://127.0.0.1:$api/proxies" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench\",\"listen\":\"127.0.0.1:$listen\",\"upstream\":\"127.0.0.1:$up\"}" \
    >/dev/null
  wait_port "$listen"
  if [ -n "${CAPTURE_NO_SPLICE:-}" ]; then
    # A pass-through toxic keeps every byte in the pipeline: each request is decoded, none spliced.
    curl -fsS -X POST "http://127.0.0.1:$api/proxies/bench/toxics" \
      -H 'Content-Type: application/json' -d '{"type":"noop","stream":"downstream"}' >/dev/null
  fi
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
# The daemons' CPU time per request (user + system, from /proc), in alternating wrk runs: on a
# loaded machine the req/s ratio drifts with the neighbours, what a request costs the daemon less.
python3 - "$on_pid" "$on_port" "$off_pid" "$off_port" <<'PY'
import os, re, statistics, subprocess, sys
tick = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tick
per = {"capture-on": [], "capture-off": []}
sides = [("capture-on", sys.argv[1], sys.argv[2]), ("capture-off", sys.argv[3], sys.argv[4])]
for _ in range(3):
    for name, pid, port in sides:
        before = cpu(pid)
        out = subprocess.run(["wrk", "-t1", "-c16", "-d4s", f"http://127.0.0.1:{port}/"],
                             capture_output=True, text=True, timeout=40).stdout
        n = int(re.search(r"(\d+) requests in", out).group(1))
        per[name].append((cpu(pid) - before) * 1e6 / n)
on, off = (statistics.median(per[k]) for k in ("capture-on", "capture-off"))
print("daemon CPU per request: capture-on %.1f us, capture-off %.1f us (on/off %.2f; rounds on %s,"
      " off %s)" % (on, off, on / off, " ".join("%.1f" % x for x in per["capture-on"]),
                     " ".join("%.1f" % x for x in per["capture-off"])))
PY
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
