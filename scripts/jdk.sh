# Sourced by ./porthole, ./test and .ci/run: finds a JDK >= 21 without starting a JVM.
# Order: $JAVA_HOME, then the system's JVM folders (newest first), then `java` on PATH.
# Written without subshells or external commands where it can be: the launcher runs this before
# every command, and each fork costs a millisecond or more.

porthole_jdk_major() { # $1 = a JDK home; prints its major version, or nothing
  porthole_read_major "$1"; echo "$PORTHOLE_MAJOR"
}

porthole_read_major() { # $1 = a JDK home; sets PORTHOLE_MAJOR (empty when unknown)
  local v="" line
  if [ -r "$1/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in JAVA_VERSION=*) v=${line#JAVA_VERSION=}; v=${v//\"/}; break ;; esac
    done <"$1/release"
  fi
  if [ -z "$v" ] && [ -x "$1/bin/java" ]; then
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  v=${v#1.}            # 1.8.0 -> 8.0
  PORTHOLE_MAJOR=${v%%[.+-]*}
}

porthole_pick_jdk() { # sets PORTHOLE_JDK and PORTHOLE_JDK_MAJOR; on failure names what it saw
  local want=21 seen="" home candidates=() d best="" best_major=0
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home \
           "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -x "$d/bin/javac" ] && candidates+=("$d")
  done
  if [ ${#candidates[@]} -eq 0 ] && command -v java >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    candidates+=("$home")
  fi
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] || continue
    porthole_read_major "$home"
    [ -n "$PORTHOLE_MAJOR" ] || continue
    seen="$seen $home ($PORTHOLE_MAJOR)"
    # $JAVA_HOME wins when it fits; otherwise the newest JDK found.
    if [ "$home" = "${JAVA_HOME:-}" ] && [ "$PORTHOLE_MAJOR" -ge "$want" ] && [ -x "$home/bin/javac" ]; then
      PORTHOLE_JDK=$home; PORTHOLE_JDK_MAJOR=$PORTHOLE_MAJOR; return 0
    fi
    if [ "$PORTHOLE_MAJOR" -ge "$want" ] && [ "$PORTHOLE_MAJOR" -gt "$best_major" ]; then
      best=$home; best_major=$PORTHOLE_MAJOR
    fi
  done
  if [ -n "$best" ]; then PORTHOLE_JDK=$best; PORTHOLE_JDK_MAJOR=$best_major; return 0; fi
  echo "porthole: needs a JDK >= $want; found:${seen:- none} (set JAVA_HOME to a JDK $want or newer)" >&2
  return 1
}

porthole_find_jdk() { # prints the chosen JDK's home (for $(...) callers)
  porthole_pick_jdk && echo "$PORTHOLE_JDK"
}
