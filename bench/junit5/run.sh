#!/usr/bin/env bash
# Times LocalProxy start and close: the first proxy of a fresh JVM and 1000 later ones, in
# $RUNS fresh JVMs (default 5), the background warm-up off so the caller pays (and its CPU time
# shows) all of it. Needs the classes built: mvn -pl porthole-core -am package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/jdk.sh
JAVA_HOME=$(porthole_find_jdk); export JAVA_HOME
cp_file=$(mktemp)
mvn -B -q -ntp -o -pl porthole-core dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
cp="porthole-core/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
for _ in $(seq "${RUNS:-5}"); do
  "$JAVA_HOME/bin/java" -Dporthole.warmup=false -cp "$cp" bench/junit5/ProxyStartBench.java "${LOOPS:-1000}" 2>/dev/null
done
