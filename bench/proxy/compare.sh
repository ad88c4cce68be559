#!/usr/bin/env bash
# Throughput (iperf3) and latency (sockperf) of `porthole proxy` next to direct, socat and haproxy,
# measured in one run by the shared comparison script; ph-nosplice is porthole with splice off
# (every byte through the handler pipeline, as before splice). Extra arguments go to that script
# (--seconds N --rounds N --json FILE).
#
# Needs: iperf3 sockperf socat haproxy python3 (apt-get install -y iperf3 sockperf socat haproxy).
# PROXY_COMPARE overrides where the comparison script is (default: ../shared/bench next to the repo).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
compare=${PROXY_COMPARE:-$root/../shared/bench/proxy-compare.py}
[ -f "$compare" ] || { echo "compare.sh: $compare not found; set PROXY_COMPARE" >&2; exit 3; }
. "$root/scripts/jdk.sh"
java="$(porthole_find_jdk)/bin/java"
"$root/porthole" --version >/dev/null   # builds the jar when it is stale, before any timing
# A private copy, so a rebuild during the run cannot touch the jar being measured.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp "$root/porthole-cli/target/porthole.jar" "$tmp/"
jvm="$java -XX:+UseZGC --enable-native-access=ALL-UNNAMED"
args="-jar $tmp/porthole.jar proxy --listen {listen} --upstream {upstream}"
p="$jvm $args"
python3 "$compare" \
  --candidate "porthole=$p" \
  --candidate "ph-lat0=$p --toxic latency:latency=0,stream=upstream --toxic latency:latency=0" \
  --candidate "ph-nosplice=$jvm -Dporthole.proxy.nosplice=true $args" \
  "$@"
