#!/usr/bin/env bash
# Soak of the daemon: its resident memory and open files while 8 clients open a new connection per
# request through 3 proxies (one plain, one with a latency toxic, one with a bandwidth toxic), the
# dashboard's live stream is open, and the closed connections pile up in TIME_WAIT. Every
# --interval it prints one row: RSS, fds, TIME_WAIT sockets, connections through the proxies.
# Traffic goes to 127.0.0.1 only; the run ends by itself after --duration.
#
#   bench/soak/run.sh [--duration 2m] [--interval 30s] [--port 42500]
#
# Needs wrk, nginx (the upstream; nginx-light), curl and ss. The daemon runs through ./porthole,
# so PORTHOLE_HEAP applies (PORTHOLE_HEAP=1g bench/soak/run.sh to compare).
set -euo pipefail
cd "$(dirname "$0")/../.."

duration=2m interval=30s base=42500
usage() { echo "usage: bench/soak/run.sh [--duration 2m] [--interval 30s] [--port 42500]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=${2:?}; shift 2 ;;
    --interval) interval=${2:?}; shift 2 ;;
    --port) base=${2:?}; shift 2 ;;
    *) usage ;;
  esac
done
seconds() { # 90s, 2m, 1h, 1h30m -> seconds (the CLI's grammar, whole units only)
  local t=$1 total=0
  [[ $t =~ ^([0-9]+[hms])+$ ]] || { echo "soak: $t is not a duration (like 30s, 5m, 1h30m)" >&2; exit 2; }
  while [[ $t =~ ^([0-9]+)([hms])(.*)$ ]]; do
    case ${BASH_REMATCH[2]} in h) total=$((total + BASH_REMATCH[1] * 3600)) ;;
      m) total=$((total + BASH_REMATCH[1] * 60)) ;; s) total=$((total + BASH_REMATCH[1])) ;; esac
    t=${BASH_REMATCH[3]}
  done
  echo "$total"
}
run_s=$(seconds "$duration") every=$(seconds "$interval")
[ "$run_s" -ge 1 ] && [ "$every" -ge 1 ] || usage
for tool in wrk nginx curl ss; do
  command -v "$tool" >/dev/null || { echo "soak: $tool missing (apt-get install -y ${tool/ss/iproute2})" >&2; exit 3; }
done

api=$base upstream=$((base + 20)) plain=$((base + 11)) slow=$((base + 12)) narrow=$((base + 13))
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# The upstream: nginx answering every request with 4 KiB and closing (Connection: close below).
mkdir -p "$work/www" "$work/data"
chmod 755 "$work" "$work/www" # nginx's workers run as nobody
head -c 4096 /dev/zero | tr '\0' x >"$work/www/index.html"
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
error_log $work/nginx.err;
pid $work/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  server { listen 127.0.0.1:$upstream backlog=4096; root $work/www; keepalive_timeout 0; }
}
EOF
nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 1 50); do
  curl -s -o /dev/null "http://127.0.0.1:$upstream/" && break
  sleep 0.1
done
curl -fs -o /dev/null "http://127.0.0.1:$upstream/" || { cat "$work/nginx.err" >&2; echo "soak: nginx did not start on $upstream" >&2; exit 3; }

./porthole --version >/dev/null # builds the jar when stale, outside the measured run
./porthole up --port "$api" --data-dir "$work/data" --no-router >"$work/daemon.log" 2>&1 &
pids+=($!)
daemon_url=http://127.0.0.1:$api
for _ in $(seq 1 300); do
  curl -fs "$daemon_url/api/status" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "$daemon_url/api/status" >/dev/null || { cat "$work/daemon.log" >&2; echo "soak: daemon did not start" >&2; exit 3; }
java_pid=$(pgrep -P "${pids[1]}" java || echo "${pids[1]}") # the launcher execs java: usually the same pid
post() { curl -fs -X POST -H 'Content-Type: application/json' -d "$2" "$daemon_url$1" >/dev/null; }
post /proxies "{\"name\":\"plain\",\"listen\":\"127.0.0.1:$plain\",\"upstream\":\"127.0.0.1:$upstream\"}"
post /proxies "{\"name\":\"slow\",\"listen\":\"127.0.0.1:$slow\",\"upstream\":\"127.0.0.1:$upstream\"}"
post /proxies "{\"name\":\"narrow\",\"listen\":\"127.0.0.1:$narrow\",\"upstream\":\"127.0.0.1:$upstream\"}"
post /proxies/slow/toxics '{"type":"latency","stream":"downstream","attributes":{"latency":2}}'
post /proxies/narrow/toxics '{"type":"bandwidth","stream":"downstream","attributes":{"rate":10000}}'

# The dashboard's live feed, read and thrown away for the whole run.
curl -sN "$daemon_url/api/dashboard/stream" -H "Host: 127.0.0.1:$api" >/dev/null 2>&1 &
pids+=($!)

# 8 clients, a new connection per request: 3 + 3 + 2 over the three proxies.
for spec in "$plain 3" "$slow 3" "$narrow 2"; do
  set -- $spec
  wrk -t1 -c"$2" -d"${run_s}s" -H 'Connection: close' "http://127.0.0.1:$1/" >"$work/wrk-$1.txt" 2>&1 &
  pids+=($!)
done

connections() { # all connections the three proxies accepted so far
  curl -fs "$daemon_url/api/proxies" | grep -o '"connectionsTotal":[0-9]*' | awk -F: '{s += $2} END {print s + 0}'
}
row() { printf '%-8s %8s %6s %10s %13s %8s\n' "$@"; }
rss_mb() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$java_pid/status"; }
echo "soak: $run_s s, a row every $every s; daemon pid $java_pid, heap ${PORTHOLE_HEAP:-128m} (the launcher's default unless PORTHOLE_HEAP)"
row elapsed "RSS MB" fds TIME_WAIT connections "conn/s"
start=$SECONDS last=0 last_conns=0 peak=0
while :; do
  now=$((SECONDS - start))
  conns=$(connections) rss=$(rss_mb)
  [ "$rss" -gt "$peak" ] && peak=$rss
  rate=$(( now > last ? (conns - last_conns) / (now - last) : 0 ))
  row "${now}s" "$rss" "$(ls "/proc/$java_pid/fd" | wc -l)" "$(ss -Htan state time-wait | wc -l)" "$conns" "$rate"
  last=$now last_conns=$conns
  [ "$now" -ge "$run_s" ] && break
  sleep $(( every < run_s - now ? every : run_s - now ))
done
sleep 1 # let wrk print its summary
echo "peak RSS: $peak MB"
for f in "$work"/wrk-*.txt; do
  echo "wrk port ${f##*wrk-}: $(grep -E 'requests in|Socket errors|Non-2xx' "$f" | tr -s ' ' | tr '\n' ';')"
done
