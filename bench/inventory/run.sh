#!/usr/bin/env bash
# Inventory benchmarks (docs/benchmarks.md "## Inventory"). From the repo root:
#   bench/inventory/run.sh            # all three
#   bench/inventory/run.sh snapshot   # (a) in-process snapshot, 10,000 sockets
#   bench/inventory/run.sh versus     # (b) porthole ports vs ss -tulpn vs lsof -i -P -n, ~25 and 10,000 sockets
#   bench/inventory/run.sh who        # (c) porthole who 62893 through the launcher
# Needs hyperfine (apt-get install -y hyperfine), ss (iproute2) and lsof. Builds with ./porthole.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/jdk.sh
porthole_pick_jdk
java="$PORTHOLE_JDK/bin/java"
./porthole --version >/dev/null                # builds the jar if stale, starts cache training
for _ in $(seq 1 60); do ls porthole-cli/target/porthole-jdk*.aot >/dev/null 2>&1 && break; sleep 1; done
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg), JDK $PORTHOLE_JDK_MAJOR"

hold() { # $1 = sockets; starts a holder and waits until its sockets are open
  coproc HOLDER { exec "$java" bench/inventory/Hold.java "$1"; }
  read -r _ _ <&"${HOLDER[0]}"
}
unhold() { # closing the holder's stdin ends it
  local in=${HOLDER[1]}
  exec {in}>&-
  wait "$HOLDER_PID" 2>/dev/null || true
}

bench() { # hyperfine, then one markdown row per command with the median
  local json; json=$(mktemp)
  hyperfine -N --style none -i --export-json "$json" "$@" >/dev/null
  python3 - "$json" <<'PY'
import json, statistics, sys
rows = json.load(open(sys.argv[1]))["results"]
print("| command | median ms | mean ms | min ms | max ms |\n|---|---:|---:|---:|---:|")
for r in rows:
    t = [x * 1000 for x in r["times"]]
    print(f"| `{r['command']}` | {statistics.median(t):.1f} | {statistics.mean(t):.1f} | {min(t):.1f} | {max(t):.1f} |")
PY
  rm -f "$json"
}

snapshot() {
  echo "## (a) in-process snapshot"
  "$java" -cp porthole-core/target/classes bench/inventory/SnapshotBench.java 10000
}

versus() {
  for n in 0 10000; do
    [ "$n" -gt 0 ] && hold "$n"
    echo "## (b) whole process, $(wc -l < /proc/net/tcp6) + $(wc -l < /proc/net/tcp) lines in /proc/net/tcp6 + tcp"
    bench -w 3 -r "${RUNS:-20}" \
      './porthole ports' './porthole ports --all' 'ss -tulpn' 'ss -tanp' 'lsof -i -P -n'
    [ "$n" -gt 0 ] && unhold
  done
}

who() {
  echo "## (c) porthole who 62893 through the launcher"
  bench -w 5 -r "${RUNS:-40}" \
    './porthole who 62893' './porthole --version' \
    "$java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar porthole-cli/target/porthole.jar who 62893"
}

case "${1:-all}" in
  snapshot) snapshot ;; versus) versus ;; who) who ;;
  all) snapshot; versus; who ;;
  *) echo "usage: $0 [snapshot|versus|who|all]" >&2; exit 2 ;;
esac
