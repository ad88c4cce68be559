#!/usr/bin/env bash
# `porthole ports --all` against `ss -tanp` with 10,000 loopback sockets, whole process, in
# interleaved rounds (A B C A B C ...; bench/inventory/rounds.py: wall and CPU medians, and the
# median of the per-round ratios): porthole's one-shot default (sockets from /proc/net), ss, then
# each launcher named in OTHERS (a copy of an earlier build: a directory with `porthole`,
# `scripts/` and `porthole-cli/target/porthole.jar` and no pom.xml, so it is never rebuilt), and
# sockets over netlink through FFM (PORTHOLE_SOCKETS=ffm) when FFM=1. As root it runs in a network
# namespace of its own, so the table holds the benchmark's sockets only. The AOT caches are made
# before the rounds.
#   [OTHERS="/tmp/before/porthole ..."] [FFM=1] bench/inventory/versus-ss.sh [ROUNDS] [SOCKETS]
#   default 20 10000
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${PORTHOLE_BENCH_NETNS:-}" ] && [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
  exec env PORTHOLE_BENCH_NETNS=1 unshare --net -- bash -c 'ip link set lo up && exec "$0" "$@"' \
    "$0" "$@"
fi
ROUNDS=${1:-20}
SOCKETS=${2:-10000}
. scripts/jdk.sh
java="$(porthole_find_jdk)/bin/java"
./porthole --version >/dev/null   # builds porthole-cli/target/porthole.jar when stale
coproc HOLDER { exec "$java" bench/inventory/Hold.java "$SOCKETS"; }
trap 'kill "$HOLDER_PID" 2>/dev/null || true' EXIT
read -r _ _ <&"${HOLDER[0]}"
launchers=(./porthole ${OTHERS:-})
for launcher in "${launchers[@]}"; do
  "$launcher" ports --all >/dev/null 2>&1   # the command's own AOT cache is recorded on first use
  target=$(dirname "$launcher")/porthole-cli/target
  for _ in $(seq 1 120); do
    ls "$target"/porthole-jdk*-ports.aot >/dev/null 2>&1 \
      && ! ls "$target"/*.lock >/dev/null 2>&1 && break
    sleep 1
  done
done
commands=('./porthole ports --all' 'ss -tanp')
for other in ${OTHERS:-}; do commands+=("$other ports --all"); done
[ "${FFM:-0}" = 1 ] && commands+=('PORTHOLE_SOCKETS=ffm ./porthole ports --all')
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$(ss -tan | tail -n +2 | wc -l) TCP sockets in this namespace"
python3 bench/inventory/rounds.py "$ROUNDS" "${commands[@]}"
