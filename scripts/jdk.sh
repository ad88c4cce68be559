# Sourced by ./porthole, ./test and .ci/run: finds a JDK >= 21 without starting a JVM.
# Order: $JAVA_HOME, then the system's JVM folders (newest first), then `java` on PATH.
# On success prints the JDK's home; otherwise names every JDK it saw and returns 1.

porthole_jdk_major() { # $1 = a JDK home; prints its major version, or nothing
  local v=""
  if [ -r "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release" 2>/dev/null)
  fi
  if [ -z "$v" ] && [ -x "$1/bin/java" ]; then
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  v=${v#1.}            # 1.8.0 -> 8.0
  echo "${v%%[.+-]*}"
}

porthole_find_jdk() {
  local want=21 seen="" home major candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  local d
  for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home \
           "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -x "$d/bin/javac" ] && candidates+=("$d")
  done
  if command -v java >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    candidates+=("$home")
  fi
  local best="" best_major=0
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] || continue
    major=$(porthole_jdk_major "$home")
    [ -n "$major" ] || continue
    seen="$seen $home ($major)"
    # $JAVA_HOME wins when it fits; otherwise the newest JDK found.
    if [ "$home" = "${JAVA_HOME:-}" ] && [ "$major" -ge "$want" ] && [ -x "$home/bin/javac" ]; then
      echo "$home"; return 0
    fi
    if [ "$major" -ge "$want" ] && [ "$major" -gt "$best_major" ]; then
      best=$home; best_major=$major
    fi
  done
  if [ -n "$best" ]; then echo "$best"; return 0; fi
  echo "porthole: needs a JDK >= $want; found:${seen:- none} (set JAVA_HOME to a JDK $want or newer)" >&2
  return 1
}
