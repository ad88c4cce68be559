#!/usr/bin/env bash
# The router's CPU per request, this checkout's jar against a base jar (main's, say): two daemons
# side by side, one nginx upstream with a small static file, h2load sending a fixed number of
# requests to each in alternating rounds; the daemons' CPU time (utime+stime from /proc) over a
# round divided by its requests. CPU per request moves far less with the machine's load than
# requests/s do, so it tells a change's cost on a shared machine.
#   BENCH_PORTS="21100 21199" bench/routing/cpu-per-request.sh BASE_JAR [--rounds 5] [--requests 40000]
#     [--proto h2|h1|http] [--connections 16]
# h2 and h1 are HTTPS (HTTP/1.1 by ALPN for h1); http is plain HTTP/1.1 on the router's HTTP port.
set -euo pipefail
base_jar=$1; shift
rounds=5 requests=40000 proto=h2 connections=16
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2 ;; --requests) requests=$2 ;; --proto) proto=$2 ;;
    --connections) connections=$2 ;; *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bench/http/lib.sh"
bench_private_jar
cp "$base_jar" "$tmp/base.jar"

range_port up
start_upstream "$tmp/upstream" "$up" upstream_pid; pids+=("$upstream_pid")
declare -A daemon_pid https_port http_port
for who in porthole base; do
  jar="$tmp/porthole.jar"; [ $who = base ] && jar="$tmp/base.jar"
  range_port api; range_port http; range_port https
  # The launcher's JVM options for `up`, as run.sh gives them: BENCH_JVM replaces them for both,
  # ROUTING_BASE_JVM for the base only (main's options when this checkout changed them).
  jvm=${BENCH_JVM:-}; [ $who = base ] && jvm=${ROUTING_BASE_JVM:-$jvm}
  BENCH_JVM=$jvm porthole up --port "$api" \
    --http-port "$http" --https-port "$https" --data-dir "$tmp/$who" --no-watch --no-notify \
    >"$tmp/$who.log" 2>&1 &
  pids+=("$!"); daemon_pid[$who]=$!; https_port[$who]=$https; http_port[$who]=$http
  wait_port "$api"; wait_port "$https"; wait_port "$http"
  "$java" -jar "$jar" route add bench.localhost "127.0.0.1:$up" --url "http://127.0.0.1:$api" \
    --data-dir "$tmp/$who" >/dev/null
done
wait_port "$up"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
flag=(-m 1) scheme=https; [ "$proto" = h1 ] && flag=(--h1)
[ "$proto" = http ] && flag=(--h1) scheme=http
run() {   # run WHO N: prints "req/s ticks"
  local p=${https_port[$1]} before after out
  [ "$scheme" = http ] && p=${http_port[$1]}
  before=$(cpu_ticks "${daemon_pid[$1]}")
  out=$(timeout 300 h2load "${flag[@]}" -c "$connections" -t 1 -n "$2" \
    --connect-to="127.0.0.1:$p" "$scheme://bench.localhost:$p/")
  after=$(cpu_ticks "${daemon_pid[$1]}")
  grep -q "$2 succeeded" <<<"$out" || { echo "h2load failed against $1:" >&2; echo "$out" >&2; exit 1; }
  echo "$(grep -oP 'finished in \S+, \K[\d.]+' <<<"$out") $((after - before))"
}
hz=$(getconf CLK_TCK)
echo "load before: $(uptime)"
for _ in 1 2; do   # warm-up: the JIT (its threads count in the CPU time) settles first
  run porthole "$requests" >/dev/null; run base "$requests" >/dev/null
done
declare -a ratios
for r in $(seq "$rounds"); do
  read -r rps_p ticks_p < <(run porthole "$requests")
  read -r rps_b ticks_b < <(run base "$requests")
  us_p=$(python3 -c "print(round($ticks_p / $hz * 1e6 / $requests, 1))")
  us_b=$(python3 -c "print(round($ticks_b / $hz * 1e6 / $requests, 1))")
  ratio=$(python3 -c "print(round($ticks_p / max($ticks_b, 1), 3))")
  ratios+=("$ratio")
  echo "round $r/$rounds: porthole ${us_p} us CPU/req ${rps_p} req/s   base ${us_b} us CPU/req ${rps_b} req/s   CPU ratio $ratio"
done
python3 -c "import statistics,sys; r=[float(x) for x in sys.argv[1:]]; print(f'porthole/base CPU per request ($proto): median {statistics.median(r):.3f} (rounds: {\" \".join(f\"{x:.2f}\" for x in r)})')" "${ratios[@]}"
echo "load after: $(uptime)"
