#!/usr/bin/env bash
# `porthole who PORT` through the launcher against `ss -tlnp 'sport = :PORT'`, whole process, in
# alternating pairs (bench/inventory/pair.py), with the medians of wall and CPU time and of the
# per-pair ratios (issue #16's goal: who <= 100 ms median). The AOT caches are made first.
#   bench/inventory/who-vs-ss.sh [ROUNDS] [PORT]     # default 15 22
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-15}
PORT=${2:-22}
./porthole --version >/dev/null   # builds porthole-cli/target/porthole.jar when stale
./porthole who "$PORT" >/dev/null 2>&1 || true   # who's own AOT cache is recorded on first use
for _ in $(seq 1 120); do
  ls porthole-cli/target/porthole-jdk*-who.aot >/dev/null 2>&1 \
    && ! ls porthole-cli/target/*.lock >/dev/null 2>&1 && break
  sleep 1
done
echo "# $(date -u +%FT%TZ) $(nproc) cores"
python3 bench/inventory/pair.py "$ROUNDS" "./porthole who $PORT" "ss -tlnp 'sport = :$PORT'"
