#!/usr/bin/env bash
# Attribution's cost (issue #12): `porthole ports` with CONTAINERS containers published through
# docker-proxy and ~10,000 sockets, against `porthole ports --no-origins` (processes only), in
# alternating rounds through the launcher as people run it. Goal: within 1.3x, with the Engine
# API asked once per command (counted in dockerd's debug log), never per socket.
#
#   bench/attribution/run.sh [ROUNDS] [CONTAINERS] [LISTENERS] [CONNECTIONS]  # 10 50 1000 4475
#
# Needs root, docker.io and busybox-static; runs everything (dockerd, its docker-proxies, the
# socket farm) in a network namespace of its own, so /proc/net holds only the benchmark's sockets.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${PORTHOLE_BENCH_NETNS:-}" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "run as root (dockerd and a network namespace)" >&2; exit 3; }
  exec env PORTHOLE_BENCH_NETNS=1 unshare --net -- bash -c 'ip link set lo up && exec "$0" "$@"' \
    "$0" "$@"
fi
ROUNDS=${1:-10}
CONTAINERS=${2:-50}
LISTENERS=${3:-1000}
CONNECTIONS=${4:-4475}
source scripts/jdk.sh
JAVA="$(porthole_find_jdk)/bin/java"
./porthole --version >/dev/null   # builds porthole-cli/target/porthole.jar when stale
ulimit -n 65536 2>/dev/null || true
tmp=$(mktemp -d /tmp/porthole-bench-attr.XXXXXX)
bridge=phbench$$
farm=
dockerd_pid=
cleanup() {
  [ -n "$farm" ] && kill "$farm" 2>/dev/null || true
  if [ -n "$dockerd_pid" ]; then
    ids=$(docker ps -aq 2>/dev/null || true)
    [ -n "$ids" ] && docker rm -f $ids >/dev/null 2>&1 || true
    kill "$dockerd_pid" 2>/dev/null || true
    for _ in $(seq 1 200); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  umount -R "$tmp/exec" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

ip link add "$bridge" type bridge
ip addr add 10.215.1.1/24 dev "$bridge"
ip link set "$bridge" up
dockerd --debug --storage-driver=vfs --data-root="$tmp/data" --exec-root="$tmp/exec" \
  --host "unix://$tmp/docker.sock" --pidfile "$tmp/docker.pid" --bridge="$bridge" \
  --iptables=false --ip6tables=false > "$tmp/dockerd.log" 2>&1 &
dockerd_pid=$!
export DOCKER_HOST="unix://$tmp/docker.sock"
for _ in $(seq 1 300); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
mkdir -p "$tmp/image/bin"
cp /bin/busybox "$tmp/image/bin/"
tar -C "$tmp/image" -cf "$tmp/image.tar" .
docker import "$tmp/image.tar" porthole-bench:busybox >/dev/null
for i in $(seq 1 "$CONTAINERS"); do
  docker run -d --name "bench-$i" -p 127.0.0.1::80 porthole-bench:busybox \
    /bin/busybox httpd -f -p 80 -h / >/dev/null
  [ $((i % 10)) -eq 0 ] && echo "started $i of $CONTAINERS containers" >&2
done

"$JAVA" bench/watch/SocketFarm.java "$LISTENERS" "$CONNECTIONS" > "$tmp/farm.out" &
farm=$!
for _ in $(seq 1 600); do grep -q ready "$tmp/farm.out" 2>/dev/null && break; sleep 0.1; done
sockets=$(( $(cat /proc/net/tcp /proc/net/tcp6 | wc -l) - 2 ))
proxies=$(pgrep -c -x docker-proxy || true)
echo "$sockets TCP sockets, $proxies docker-proxy processes, $CONTAINERS containers; load: $(uptime)"

# The Engine API requests of one attributed command, from dockerd's debug log.
before=$(grep -c 'Calling GET .*containers/json' "$tmp/dockerd.log" || true)
./porthole ports > "$tmp/ports.txt"
after=$(grep -c 'Calling GET .*containers/json' "$tmp/dockerd.log" || true)
named=$(grep -c 'container bench-' "$tmp/ports.txt" || true)
echo "one 'porthole ports': $((after - before)) container list request(s), $named listeners named as containers"

ms() { local s e; s=$(date +%s%N); "$@" > /dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
with=() without=()
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then
    with+=("$(ms ./porthole ports)"); without+=("$(ms ./porthole ports --no-origins)")
  else
    without+=("$(ms ./porthole ports --no-origins)"); with+=("$(ms ./porthole ports)")
  fi
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mw=$(median "${with[@]}")
mo=$(median "${without[@]}")
echo "with origins (ms):    ${with[*]}"
echo "--no-origins (ms):    ${without[*]}"
awk -v a="$mw" -v b="$mo" 'BEGIN {printf "median %d ms vs %d ms: %.2fx (goal: within 1.30x)\n", a, b, a / b}'
echo "load after: $(uptime)"
