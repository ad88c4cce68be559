#!/usr/bin/env bash
# Whole `porthole scan 127.0.0.1 1-65535 --json` against nmap's SYN scan and, when given, another
# checkout's launcher (the "before"), in alternating pairs (bench/inventory/pair.py): medians of
# wall and CPU (user + sys of the finished process) and the median of the per-pair ratios.
# Needs root (for -sS) and nmap (apt-get install -y nmap).
#   bench/scan/ratios.sh [PAIRS] [BEFORE_CHECKOUT]      (default 10 pairs)
# A BEFORE_CHECKOUT is a directory with a ./porthole launcher and its porthole-cli/target/porthole.jar
# (e.g. `git archive main | tar -x -C DIR` and the jar copied in; its launcher records its own cache).
set -euo pipefail
cd "$(dirname "$0")/../.."
pairs=${1:-10}
before=${2:-}
command -v nmap >/dev/null || { echo "bench: nmap missing (apt-get install -y nmap)" >&2; exit 1; }
scan='scan 127.0.0.1 1-65535 --json'
# Builds the jar when stale and records its AOT cache (in the background): wait for the cache.
for launcher in ./porthole ${before:+"$before/porthole"}; do
  "$launcher" scan 127.0.0.1 1-10 >/dev/null
  for _ in $(seq 1 60); do
    ls "$(dirname "$launcher")"/porthole-cli/target/*.lock >/dev/null 2>&1 || break
    sleep 1
  done
done
bench/inventory/pair.py "$pairs" "./porthole $scan" 'nmap -n -Pn -sS -T5 -p1-65535 127.0.0.1' 1
if [ -n "$before" ]; then
  bench/inventory/pair.py "$pairs" "./porthole $scan" "$before/porthole $scan" 1
fi
