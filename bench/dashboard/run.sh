#!/usr/bin/env bash
# Dashboard benchmark: 1,000 real listeners and 50 proxies, measured in headless Chromium.
# Usage: bench/dashboard/run.sh [listeners] [proxies] [seconds of live updates]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/jdk.sh
JAVA_HOME=$(porthole_find_jdk) || exit 1
export JAVA_HOME MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
mvn -B -q -ntp -pl porthole-server -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
cp="porthole-server/target/classes:porthole-core/target/classes:$(cat porthole-server/target/bench-classpath.txt)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=error ${BENCH_OPTS:-} -cp "$cp" bench/dashboard/DashboardBench.java "$@"
