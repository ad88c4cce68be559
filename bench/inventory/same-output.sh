#!/usr/bin/env bash
# Compares this checkout's `ports` output with another build's, byte for byte, over the 10,000-socket
# farm of versus-ss.sh plus a TCP listener and a UDP socket (ports 23001 and 23002), in a network
# namespace of its own (root). For changes that must not change what `ports` prints.
#   bench/inventory/same-output.sh OTHER_LAUNCHER      # e.g. a copy of main's ./porthole
set -euo pipefail
cd "$(dirname "$0")/../.."
other=${1:?usage: same-output.sh OTHER_LAUNCHER}
if [ -z "${PORTHOLE_BENCH_NETNS:-}" ] && [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
  exec env PORTHOLE_BENCH_NETNS=1 unshare --net -- bash -c 'ip link set lo up && exec "$0" "$@"' \
    "$0" "$@"
fi
. scripts/jdk.sh
java="$(porthole_find_jdk)/bin/java"
coproc HOLDER { exec "$java" bench/inventory/Hold.java 10000; }
python3 -m http.server 23001 --bind 127.0.0.1 >/dev/null 2>&1 &
web=$!
python3 -c 'import socket, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 23002)); time.sleep(120)' &
udp=$!
trap 'kill "$HOLDER_PID" "$web" "$udp" 2>/dev/null || true' EXIT
read -r _ _ <&"${HOLDER[0]}"
sleep 1
a=$(mktemp) b=$(mktemp)
status=0
for args in "ports --all" "ports" "ports --all --json" "ports --udp" "ports --port 23001,23002"; do
  # Twice each: the first run of a shape may train its AOT cache, whose process holds a port.
  for launcher in ./porthole "$other"; do $launcher $args >/dev/null 2>&1 || true; done
  for _ in $(seq 1 120); do   # until no cache is being trained (at most 2 minutes)
    ls porthole-cli/target/*.lock "$(dirname "$other")"/porthole-cli/target/*.lock >/dev/null 2>&1 \
      || break
    sleep 1
  done
  ./porthole $args >"$a" 2>&1 || true
  "$other" $args >"$b" 2>&1 || true
  if cmp -s "$a" "$b"; then
    echo "same: $args ($(wc -l <"$a") lines)"
  else
    echo "DIFFER: $args"; diff "$b" "$a" | head -10; status=1
  fi
done
rm -f "$a" "$b"
exit $status
