#!/usr/bin/env bash
# `porthole ports --all` against `ss -tanp` with 10,000 loopback sockets, whole process, in
# interleaved rounds (A B C A B C ...): sockets over netlink through FFM (PORTHOLE_SOCKETS=ffm), ss,
# and sockets from /proc/net (PORTHOLE_SOCKETS=proc; one-shot commands' default since netlink,
# through JNA or FFM, did not make them faster). As root it runs in a network namespace of its
# own, so the table holds the benchmark's sockets only.
#   bench/inventory/versus-ss.sh [ROUNDS] [SOCKETS]     # default 20 10000
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
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$(ss -tan | tail -n +2 | wc -l) TCP sockets in this namespace"
bench/inventory/ab.sh "$ROUNDS" 'PORTHOLE_SOCKETS=ffm ./porthole ports --all' 'ss -tanp' \
  'PORTHOLE_SOCKETS=proc ./porthole ports --all'
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
