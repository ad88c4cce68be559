#!/usr/bin/env bash
# Scan of 1-65535 on 127.0.0.1: porthole against nmap's connect scan (-sT) and SYN scan (-sS),
# in the same run, with hyperfine. Needs root (for -sS), nmap and hyperfine:
#   apt-get install -y nmap hyperfine
# Usage: bench/scan/run.sh [RUNS]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-10}"
for tool in nmap hyperfine; do
  command -v "$tool" >/dev/null || { echo "bench: $tool missing (apt-get install -y $tool)" >&2; exit 1; }
done
./porthole --version >/dev/null # builds the jar and its AOT cache when stale
out="$(mktemp -d)"
# The scanner's own time, without JVM start-up: what the scan itself costs.
for i in 1 2 3 4 5; do
  ./porthole scan 127.0.0.1 1-65535 --json | grep '"millis"'
done | sed 's/[^0-9.]//g' | sort -n | awk '{a[NR]=$1} END {print "porthole scan, in-process time (ms): min " a[1] ", median " a[int((NR+1)/2)] ", max " a[NR]}'
hyperfine --warmup 2 --runs "$runs" --export-markdown "$out/scan.md" \
  -n 'porthole scan' './porthole scan 127.0.0.1 1-65535 --json' \
  -n 'nmap -sT -T5' 'nmap -n -Pn -sT -T5 -p1-65535 127.0.0.1' \
  -n 'nmap -sS -T5' 'nmap -n -Pn -sS -T5 -p1-65535 127.0.0.1'
cat "$out/scan.md"
