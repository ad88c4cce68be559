#!/usr/bin/env bash
# What recording costs: wrk (HTTP/1.1 keep-alive) through a daemon proxy that records every
# request (capture on, the default of `porthole up`) and through the same proxy of a second
# daemon started with --no-capture, against one nginx upstream, in alternating rounds, with the
# upstream direct as the yardstick. Prints req/s, p50/p99 and the on/off ratio (goal: >= 0.90),
# then each daemon's CPU time per request (from /proc, three alternating 4 s wrk runs each): on a
# machine shared with others the req/s ratio moves with the neighbours, the CPU per request less.
# CAPTURE_NO_SPLICE=1 puts a noop toxic on both proxies, so that no link is spliced after its first
# 256 KiB and the recording decodes every request. Ports come from 64200-64299 (or BENCH_PORTS).
# CAPTURE_BASE_JAR=path/to/porthole.jar runs that jar's two daemons (base-on, base-off) beside this
# checkout's, in the same alternating rounds: on/off for both, and this recording against the base's.
# Extra arguments go to wrk-rounds.py (--rounds N --seconds N --connections N --json FILE).
#
# Needs: nginx (nginx-light), wrk, python3, curl.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bench/http/lib.sh"
bench_private_jar

range_port up
start_upstream "$tmp/nginx" "$up" nginx_pid; pids+=("$nginx_pid")

# Starts a daemon ($1: on|off|base_on|base_off) with one proxy to the upstream, from jar $2 (this
# checkout's by default); sets ${1}_api, ${1}_port and ${1}_pid.
daemon() {
  local api http https listen flags=()
  range_port api; range_port http; range_port https; range_port listen
  case "$1" in *off) flags=(--no-capture) ;; esac
  jar=${2:-$tmp/porthole.jar} porthole up --port "$api" --http-port "$http" --https-port "$https" \
    --data-dir "$tmp/$1" --no-watch --no-notify "${flags[@]}" >"$tmp/$1.log" 2>&1 &
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
targets=(--target "direct=http://127.0.0.1:$up/" --target "capture-off=http://127.0.0.1:$off_port/"
  --target "capture-on=http://127.0.0.1:$on_port/")
pairs=(--pair capture-on:capture-off)
sides=(capture-on "$on_pid" "$on_port" capture-off "$off_pid" "$off_port")
if [ -n "${CAPTURE_BASE_JAR:-}" ]; then
  cp "$CAPTURE_BASE_JAR" "$tmp/base.jar"
  daemon base_on "$tmp/base.jar"
  daemon base_off "$tmp/base.jar"
  targets+=(--target "base-off=http://127.0.0.1:$base_off_port/"
    --target "base-on=http://127.0.0.1:$base_on_port/")
  pairs+=(--pair base-on:base-off --pair capture-on:base-on --pair capture-off:base-off)
  sides+=(base-on "$base_on_pid" "$base_on_port" base-off "$base_off_pid" "$base_off_port")
fi
wait_port "$up"

echo "load before: $(uptime)"
python3 "$root/bench/http/wrk-rounds.py" "${targets[@]}" "${pairs[@]}" "$@"
echo "load after: $(uptime)"
# The daemons' CPU time per request (user + system, from /proc), in alternating wrk runs: on a
# loaded machine the req/s ratio drifts with the neighbours, what a request costs the daemon less.
python3 - "${sides[@]}" <<'PY'
import os, re, statistics, subprocess, sys
tick = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tick
a = sys.argv[1:]
sides = [tuple(a[i:i + 3]) for i in range(0, len(a), 3)]
per = {name: [] for name, _, _ in sides}
for _ in range(3):
    for name, pid, port in sides:
        before = cpu(pid)
        out = subprocess.run(["wrk", "-t1", "-c16", "-d4s", f"http://127.0.0.1:{port}/"],
                             capture_output=True, text=True, timeout=40).stdout
        n = int(re.search(r"(\d+) requests in", out).group(1))
        per[name].append((cpu(pid) - before) * 1e6 / n)
for prefix in ("capture", "base"):
    if prefix + "-on" not in per:
        continue
    on, off = (statistics.median(per[prefix + k]) for k in ("-on", "-off"))
    print("daemon CPU per request: %s-on %.1f us, %s-off %.1f us (on/off %.2f, recording costs"
          " %.1f us; rounds on %s, off %s)"
          % (prefix, on, prefix, off, on / off, on - off,
             " ".join("%.1f" % x for x in per[prefix + "-on"]),
             " ".join("%.1f" % x for x in per[prefix + "-off"])))
PY
# Proof that the recording daemon did record (and the other did not), and of what it dropped.
for side in on off ${CAPTURE_BASE_JAR:+base_on base_off}; do
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
