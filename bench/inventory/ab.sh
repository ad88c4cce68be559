#!/usr/bin/env bash
# Interleaved A/B wall-time comparison: runs each command once per round, N rounds, prints medians.
# On a shared, loaded machine this is fairer than hyperfine's all-A-then-all-B order.
#   bench/inventory/ab.sh 30 './porthole who 62893' 'java -jar porthole-cli/target/porthole.jar who 62893'
set -uo pipefail
rounds=$1; shift
times=()
for cmd in "$@"; do times+=(""); done
for ((r = 0; r < rounds; r++)); do
  idx=0
  for cmd in "$@"; do
    t0=$(date +%s%N); bash -c "$cmd" >/dev/null 2>&1; t1=$(date +%s%N)
    times[idx]+="$(( (t1 - t0) / 1000 )) "; idx=$((idx + 1))
  done
done
idx=0
for cmd in "$@"; do
  python3 -c "import statistics,sys; t=[int(x)/1000 for x in sys.argv[1].split()]; print(f'median {statistics.median(t):7.1f} ms  min {min(t):7.1f} ms  | {sys.argv[2]}')" "${times[idx]}" "$cmd"
  idx=$((idx + 1))
done
