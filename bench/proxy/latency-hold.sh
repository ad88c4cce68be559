#!/usr/bin/env bash
# How long a latency toxic (20 ms each way) really holds each chunk, seen on the wire: tcpdump on
# lo timestamps every 64-byte sockperf ping-pong message into the proxy and out of it, so the
# figure is the proxy's own (its read wake-up, its timer, its write) and none of sockperf's wake-ups.
# Jars alternate, ROUNDS (default 3) times, SECONDS_EACH (default 6) each; ports from PORT_BASE
# (default 42400). A spec may add JVM options after the jar. Needs root (tcpdump), sockperf, python3.
#
#   bench/proxy/latency-hold.sh new=porthole-cli/target/porthole.jar before=/tmp/before.jar \
#     'plain=/tmp/before.jar -Dio.netty.channel.epoll.epollWaitThreshold=0'
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/jdk.sh
JAVA="$(porthole_find_jdk)/bin/java"
base=${PORT_BASE:-42400}
server=$base proxy=$((base + 1))
pcap=$(mktemp --suffix .pcap)
sockperf server --tcp -i 127.0.0.1 -p "$server" >/dev/null 2>&1 &
sp=$!
trap 'kill $sp 2>/dev/null; rm -f "$pcap"' EXIT
for round in $(seq "${ROUNDS:-3}"); do
  for spec in "$@"; do
    name=${spec%%=*}
    read -r jar opts <<<"${spec#*=}"
    # shellcheck disable=SC2086 # the options are words
    "$JAVA" -XX:+UseZGC --enable-native-access=ALL-UNNAMED $opts -jar "$jar" proxy \
      --listen "127.0.0.1:$proxy" --upstream "127.0.0.1:$server" \
      --toxic latency:latency=20,stream=upstream --toxic latency:latency=20 >/dev/null 2>&1 &
    px=$!
    # A JVM can take seconds to listen on a loaded machine: wait for it (60 s at most), then warm up.
    for _ in $(seq 600); do
      [ -n "$(ss -ltnH "sport = :$proxy")" ] && break
      sleep 0.1
    done
    sleep 3
    tcpdump -i lo -nn -w "$pcap" --time-stamp-precision=micro -B 4096 \
      "tcp and (port $server or port $proxy) and greater 100" >/dev/null 2>&1 &
    td=$!
    sleep 1
    load=$(cut -d' ' -f1 /proc/loadavg)
    sockperf ping-pong --tcp -i 127.0.0.1 -p "$proxy" -t "${SECONDS_EACH:-6}" -m 64 >/dev/null 2>&1 || true
    sleep 0.5
    kill "$td" "$px"
    wait "$td" "$px" 2>/dev/null || true
    tcpdump -r "$pcap" -nn -tt 2>/dev/null | python3 -c '
import re, sys
server, proxy, name, rnd, load = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
into, hold = {}, {"up": [], "down": []}
for l in sys.stdin:
    m = re.match(r"(\d+\.\d+) IP 127\.0\.0\.1\.(\d+) > 127\.0\.0\.1\.(\d+):.*length (\d+)", l)
    if not m or int(m.group(4)) == 0:
        continue
    t, s, d = float(m.group(1)), int(m.group(2)), int(m.group(3))
    if d == proxy:
        into["up"] = t                     # client -> proxy
    elif s == server:
        into["down"] = t                   # server -> proxy
    elif d == server and "up" in into:
        hold["up"].append((t - into.pop("up")) * 1e6 - 20000)
    elif s == proxy and "down" in into:
        hold["down"].append((t - into.pop("down")) * 1e6 - 20000)
out = []
for k, v in hold.items():
    v.sort()
    q = lambda p: v[min(len(v) - 1, int(len(v) * p))] if v else float("nan")
    out.append("%s p50 %+.0f p90 %+.0f p99 %+.0f (n %d)" % (k, q(.5), q(.9), q(.99), len(v)))
print("round %s %-8s load %s  held beyond 20 ms (us): %s" % (rnd, name, load, "  ".join(out)))
' "$server" "$proxy" "$name" "$round" "$load"
  done
done
