# The JVM options per command, for both launchers: ./porthole (a checkout) and /usr/bin/porthole
# (the .deb, scripts/deb-launcher, which finds this file in /usr/lib/porthole). Sourced, not run.
#
# porthole_jvm_options MAJOR [ARGS...] (the JDK's feature version, then porthole's command line)
# appends them to the array `opts` and sets porthole_short=true for short commands (the launcher
# then adds its AOT cache or AppCDS archive, trained with porthole_short_options), and
# porthole_cache to the name of the command's own cache when the command line takes one (else to
# nothing: the cache every other short command shares). Returns 2, with a one-line reason on
# stderr, for a bad PORTHOLE_HEAP.

# Short commands: start fast. The JIT's top tier never pays off in a few hundred ms, one GC thread
# is enough for a few MB, and one compiler thread keeps the second core for our work.
porthole_short_options=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -XX:CICompilerCount=1)

# Short commands with an AOT cache (or AppCDS archive) of their own, trained by `aot-train COMMAND`:
# a JVM maps and links every class of its cache at start, and the shared cache's (every trained
# command's, 30 MB) cost `who` ~25 ms of CPU more than a cache of its own (docs/benchmarks.md).
# They take their own only in the shapes answered without picocli (`who PORT`, `ports`, `ports
# --all`, `scan [HOST [PORTS]] [--json] [--no-color]`): `who --json` or `scan --timeout 2s` need
# picocli's classes, which those caches leave out.
porthole_own_caches=(who ports scan)

# True when the arguments after `scan` are a shape Shortcuts answers without picocli: at most two
# that do not start with "-", and --json and --no-color at most once each.
porthole_scan_shortcut() {
  local positionals=0 json=false colour=false arg
  for arg in "$@"; do
    case $arg in
      --json) $json && return 1; json=true ;;
      --no-color) $colour && return 1; colour=true ;;
      -*) return 1 ;;
      *) positionals=$((positionals + 1)); [ "$positionals" -le 2 ] || return 1 ;;
    esac
  done
  return 0
}

porthole_jvm_options() {
  local major=$1 command=${2:-}
  porthole_short=false
  porthole_cache=
  case $command in
    up)
      # A bounded heap: left to the JVM the maximum is a quarter of RAM, and the serial collector
      # grows toward it under load (a soak took the RSS to 1.37 GB with 46 MB live).
      # PORTHOLE_HEAP raises it (PORTHOLE_HEAP=512m porthole up); the soak is bench/soak/run.sh.
      local heap=${PORTHOLE_HEAP:-128m} mb=0
      if [[ $heap =~ ^([1-9][0-9]{0,5})([mMgG])$ ]]; then
        mb=${BASH_REMATCH[1]}; case ${BASH_REMATCH[2]} in [gG]) mb=$((mb * 1024)) ;; esac
      fi
      if [ "$mb" -lt 64 ]; then
        echo "porthole: PORTHOLE_HEAP=$heap is not a heap size of at least 64m (expected like 256m or 1g)" >&2
        return 2
      fi
      # A young generation of at most 32 MiB, a heap given back when it is more than 30 % free, and
      # freed native memory (the JIT's arenas) returned to the OS every 10 s: the RSS follows use.
      opts+=(-XX:+UseSerialGC -Xms32m "-Xmx$heap" -XX:MaxNewSize=32m -XX:MinHeapFreeRatio=10
        -XX:MaxHeapFreeRatio=30)
      [ "$major" -ge 22 ] && opts+=(-XX:TrimNativeHeapInterval=10000)
      # Netty reads and writes its buffers through sun.misc.Unsafe only when allowed: JDK 24 warns
      # at its first use, and from JDK 25 on Netty leaves it unused unless this is given, so every
      # buffer access goes through ByteBuffer views (the router's CPU per request, benchmarks.md
      # "h1router"). JDK 23 added the switch; 21 and 22 would refuse it, and allow Unsafe anyway.
      [ "$major" -ge 23 ] && opts+=(--sun-misc-unsafe-memory-access=allow) ;;
    toxiproxy-server)
      # Long-running and mostly idle: full JIT, and the serial collector, whose heap stays small.
      # -Xms32m: the default initial heap (1/64 of RAM) alone would make the RSS hundreds of MB.
      opts+=(-XX:+UseSerialGC -Xms32m) ;;
    watch)
      # Long-running, a few ms of work every interval: C1 alone, one compiler thread. C2 spent
      # more CPU compiling the cycle than it saved running it (at 10,000 sockets: 0.57 % of a core
      # against 1.10 % with the full JIT, docs/benchmarks.md). The serial collector and -Xms32m
      # keep the RSS small (124 MB against 645 MB with ZGC).
      opts+=(-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -Xms32m) ;;
    proxy)
      # Throughput first: the configuration bench/proxy measures.
      opts+=(-XX:+UseZGC) ;;
    *)
      opts+=("${porthole_short_options[@]}")
      porthole_short=true
      case $command in
        who) if [ $# -eq 3 ] && [ "${3#-}" = "$3" ]; then porthole_cache=who; fi ;;
        ports) if [ $# -eq 2 ] || { [ $# -eq 3 ] && { [ "$3" = --all ] || [ "$3" = -a ]; }; }; then
            porthole_cache=ports
          fi ;;
        scan) if porthole_scan_shortcut "${@:3}"; then porthole_cache=scan; fi ;;
      esac ;;
  esac
  return 0 # not the last test's status: `up` on JDK 21 ended on a false [ "$major" -ge 22 ]
}
