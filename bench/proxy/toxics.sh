#!/usr/bin/env bash
# Accuracy of the latency and bandwidth toxics on real sockets: sockperf p50 through a proxy with a
# 20 ms latency toxic on each direction, and iperf3 throughput through a 10,000 KB/s bandwidth toxic.
# Prints requested vs measured. Needs iperf3 and sockperf. porthole() is only run in the background.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/scripts/jdk.sh"
java="$(porthole_find_jdk)/bin/java"
"$root/porthole" --version >/dev/null
tmp=$(mktemp -d)
cp "$root/porthole-cli/target/porthole.jar" "$tmp/"
porthole() { exec "$java" -XX:+UseZGC --enable-native-access=ALL-UNNAMED -jar "$tmp/porthole.jar" "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
# Waits for a listener without connecting to it (a stray connection confuses iperf3's server).
wait_port() { for _ in $(seq 200); do ss -ltn | grep -q ":$1 " && return 0; sleep 0.1; done; return 1; }

# Latency: 20 ms each way = 40 ms added to a round trip; sockperf reports half a round trip.
sp=$(free_port); lp=$(free_port)
sockperf server --tcp -i 127.0.0.1 -p "$sp" >/dev/null 2>&1 & pids+=($!)
porthole proxy --listen "127.0.0.1:$lp" --upstream "127.0.0.1:$sp" \
  --toxic latency:latency=20,stream=upstream --toxic latency:latency=20 >/dev/null & pids+=($!)
wait_port "$sp"; wait_port "$lp"
direct=$(sockperf ping-pong --tcp -i 127.0.0.1 -p "$sp" -t 5 -m 64 2>&1 | awk '/50.000/ {print $NF}')
proxied=$(sockperf ping-pong --tcp -i 127.0.0.1 -p "$lp" -t 10 -m 64 2>&1 | awk '/50.000/ {print $NF}')
echo "latency: requested 20 ms per direction (20000 us per half round trip);" \
  "p50 half round trip direct ${direct} us, through porthole ${proxied} us"

# Bandwidth: 10,000 KB/s = 80 Mbit/s.
ip=$(free_port); bp=$(free_port)
iperf3 -s -B 127.0.0.1 -p "$ip" >/dev/null 2>&1 & pids+=($!)
porthole proxy --listen "127.0.0.1:$bp" --upstream "127.0.0.1:$ip" \
  --toxic bandwidth:rate=10000,stream=upstream >/dev/null & pids+=($!)
wait_port "$ip"; wait_port "$bp"
bps=$(iperf3 -c 127.0.0.1 -p "$bp" -t 10 -J | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["end"]["sum_received"]["bits_per_second"] if "sum_received" in j.get("end", {}) else "nan: " + j.get("error", "?"))')
python3 -c "r=float('$bps')/8/1000; print('bandwidth: requested 10000 KB/s, received %.0f KB/s (%+.1f %%)' % (r, (r/10000-1)*100))"
