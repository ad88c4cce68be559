#!/usr/bin/env bash
# `porthole who PORT` (or CMD=info: `info PORT`) on a machine with many TIME_WAIT sockets, whole process,
# in interleaved rounds (bench/inventory/rounds.py: wall and CPU medians, and the median of the
# per-round ratios): sockets from /proc/net (PORTHOLE_SOCKETS=proc), over netlink through FFM
# with the kernel's port filter (PORTHOLE_SOCKETS=ffm), the one-shot default (no variable), and
# `ss -tuanp 'sport = :PORT'`. For each count in TW, bench/inventory/time-wait.py first makes that
# many TIME_WAIT sockets (they last 60 s, so the rounds must end within ~50 s of the batch: keep
# ROUNDS small; the count before and after is printed). As root each count runs in a network
# namespace of its own, so the tables hold the benchmark's sockets only. The AOT caches are made first. BEFORE names
# the launcher of an earlier build (a directory with `porthole`, `scripts/` and
# `porthole-cli/target/porthole.jar` and no pom.xml, so it is never rebuilt), run with
# PORTHOLE_SOCKETS=ffm too: netlink without the port filter.
#   [BEFORE=/tmp/before/porthole] [CMD=info] bench/inventory/who-busy.sh [ROUNDS] [PORT] [TW...]   # default who, 8 30000 0 50000
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-8}
PORT=${2:-30000}
shift $(($# < 2 ? $# : 2))
COUNTS=("$@")
[ ${#COUNTS[@]} -eq 0 ] && COUNTS=(0 50000)
if [ -z "${PORTHOLE_BENCH_NETNS:-}" ] && [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
  # A fresh namespace per count: it starts with no TIME_WAIT left over from the count before.
  for count in "${COUNTS[@]}"; do
    env PORTHOLE_BENCH_NETNS=1 unshare --net -- bash -c 'ip link set lo up && exec "$0" "$@"' \
      "$0" "$ROUNDS" "$PORT" "$count"
  done
  exit 0
fi
CMD=${CMD:-who}
./porthole --version >/dev/null   # builds porthole-cli/target/porthole.jar when stale
coproc FARM { exec python3 bench/inventory/time-wait.py "$PORT"; }
trap 'kill "$FARM_PID" 2>/dev/null || true' EXIT
read -r _ <&"${FARM[0]}"
for launcher in ./porthole ${BEFORE:-}; do
  for command in who info; do
    "$launcher" "$command" "$PORT" >/dev/null 2>&1 || true   # the AOT caches are made on first use
  done
  target=$(dirname "$launcher")/porthole-cli/target
  for _ in $(seq 1 120); do
    ls "$target"/porthole-jdk*-who.aot >/dev/null 2>&1 \
      && ! ls "$target"/*.lock >/dev/null 2>&1 && break
    sleep 1
  done
done
commands=("PORTHOLE_SOCKETS=proc ./porthole $CMD $PORT" "PORTHOLE_SOCKETS=ffm ./porthole $CMD $PORT"
  "./porthole $CMD $PORT" "ss -tuanp 'sport = :$PORT'")
[ -n "${BEFORE:-}" ] && commands+=("PORTHOLE_SOCKETS=ffm $BEFORE $CMD $PORT")
tw() { awk '/^TCP:/ { for (i = 1; i < NF; i++) if ($i == "tw") print $(i + 1) }' /proc/net/sockstat; }
for count in "${COUNTS[@]}"; do
  more=$((count - $(tw)))
  if [ "$more" -gt 0 ]; then
    echo "$more" >&"${FARM[1]}"
    read -r _ _ <&"${FARM[0]}"
  fi
  echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)," \
    "$(tw) TIME_WAIT, $(ss -tan | tail -n +2 | wc -l) TCP sockets in this namespace"
  python3 bench/inventory/rounds.py --warmup 1 "$ROUNDS" "${commands[@]}"
  echo "# TIME_WAIT after: $(tw)"
done
