# Shared by bench/capture/run.sh and bench/routing/run.sh (sourced, not run): ports from the
# benchmarks' range, waiting for listeners, and a keep-alive nginx serving a small static file.

# Sets the variable named $1 to a port of 64200-64299 (or of BENCH_PORTS="FIRST LAST", for a
# machine where that range is someone else's) that nothing listens on and no earlier call handed
# out (a variable, not output: $(...) would lose the record of ports handed out).
taken_ports=" "
range_port() {
  local p
  for p in $(seq ${BENCH_PORTS:-64200 64299}); do
    case "$taken_ports" in *" $p "*) continue ;; esac
    if python3 -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1',$p))" 2>/dev/null; then
      taken_ports="$taken_ports$p "
      printf -v "$1" '%s' "$p"
      return 0
    fi
  done
  echo "no free port in ${BENCH_PORTS:-64200 64299}" >&2
  return 3
}

# Waits (at most 30 s) until something listens on 127.0.0.1:$1.
wait_port() {
  for _ in $(seq 300); do
    ss -ltnH "sport = :$1" | grep -q . && return 0
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1 after 30 s" >&2
  return 1
}

# Starts nginx (not daemonized: a background job) in dir $1 with the http{} body $3 and ${4:-1}
# worker processes; the master's pid goes in the variable named $2 (TERM to it stops all).
start_nginx() {
  local dir=$1 body=$3 workers=${4:-1}
  local pidvar=$2
  mkdir -p "$dir/logs"
  cat >"$dir/nginx.conf" <<CONF
daemon off;
worker_processes $workers;
error_log $dir/logs/error.log warn;
pid $dir/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/body; proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fcgi; uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
  keepalive_requests 1000000;
  $body
}
CONF
  nginx -p "$dir" -c "$dir/nginx.conf" &
  printf -v "$pidvar" '%s' "$!"
}

# A small static file (612 bytes, like nginx's index.html) served with keep-alive on port $2,
# from dir $1; pid in the variable named $3.
start_upstream() {
  mkdir -p "$1/www"
  chmod a+rx "$1" "$1/.." "$1/www"   # nginx's workers run as nobody when started by root
  head -c 612 /dev/zero | tr '\0' 'x' >"$1/www/index.html"
  start_nginx "$1" "$3" "server { listen 127.0.0.1:$2; root $1/www; }"
}

# Sets java (a JDK >= 21), tmp (removed at exit) and pids (stopped at exit), builds the jar when
# it is stale (before any timing), and copies it into tmp: a rebuild during the run cannot touch
# the jar being measured. `porthole` runs the daemon from that copy, `cli` a command.
bench_private_jar() {
  . "$root/scripts/jdk.sh"
  java="$(porthole_find_jdk)/bin/java"
  "$root/porthole" --version >/dev/null
  tmp=$(mktemp -d)
  pids=()
  trap bench_cleanup EXIT
  cp "$root/porthole-cli/target/porthole.jar" "$tmp/"
}

bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}

# The daemon from $jar when set (another build, for before/after runs), else the private copy.
# porthole's JVM: the options the launcher gives the command (scripts/jvm-options.sh: for `up` the
# serial collector in a 128 MiB heap), so the bench measures what users run; BENCH_JVM replaces
# them (BENCH_JVM=-XX:+UseZGC, the collector these benches used before).
porthole() {
  local opts=()
  if [ -n "${BENCH_JVM:-}" ]; then
    read -r -a opts <<<"$BENCH_JVM"
  else
    . "$root/scripts/jvm-options.sh"
    porthole_jvm_options "$(porthole_jdk_major "${java%/bin/java}")" "$@"
  fi
  exec "$java" "${opts[@]}" --enable-native-access=ALL-UNNAMED -jar "${jar:-$tmp/porthole.jar}" "$@"
}
cli() { "$java" -jar "$tmp/porthole.jar" "$@"; }
