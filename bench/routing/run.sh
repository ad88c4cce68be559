#!/usr/bin/env bash
# Routing by name against the reverse proxies people use instead: wrk (HTTP/1.1 keep-alive,
# `Host: bench.localhost` on every request) to one nginx upstream serving a small static file,
# direct, through porthole's router (`porthole route add bench.localhost 127.0.0.1:UP`), through
# Caddy (`reverse_proxy`) and through nginx (`proxy_pass` with a keep-alive upstream pool), in
# alternating rounds. Prints req/s, p50/p99 and the ratios (goals: porthole ahead of Caddy,
# within 15 % of nginx). HTTP only. Ports come from 64200-64299. Extra arguments go to
# wrk-rounds.py (--rounds N --seconds N --connections N --json FILE).
#
# Needs: nginx (nginx-light), caddy, wrk, python3, curl.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bench/http/lib.sh"
. "$root/scripts/jdk.sh"
java="$(porthole_find_jdk)/bin/java"
"$root/porthole" --version >/dev/null   # builds the jar when it is stale, before any timing
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
# A private copy, so a rebuild during the run cannot touch the jar being measured.
cp "$root/porthole-cli/target/porthole.jar" "$tmp/"
porthole() { exec "$java" -XX:+UseZGC --enable-native-access=ALL-UNNAMED -jar "$tmp/porthole.jar" "$@"; }
cli() { "$java" -jar "$tmp/porthole.jar" "$@"; }

range_port up
start_upstream "$tmp/upstream" "$up" upstream_pid; pids+=("$upstream_pid")

# porthole: the daemon's router, one route.
range_port api; range_port http; range_port https
porthole up --port "$api" --http-port "$http" --https-port "$https" --data-dir "$tmp/porthole" \
  --no-watch --no-notify >"$tmp/porthole.log" 2>&1 &
pids+=("$!")
wait_port "$api"; wait_port "$http"
cli route add bench.localhost "127.0.0.1:$up" --url "http://127.0.0.1:$api" --data-dir "$tmp/porthole"

# Caddy: reverse_proxy, HTTP only, its state in the temp dir (no admin API, no certificates).
range_port caddy_port
mkdir -p "$tmp/caddy"
cat >"$tmp/caddy/Caddyfile" <<CONF
{
  admin off
  auto_https off
}
http://:$caddy_port {
  bind 127.0.0.1
  reverse_proxy 127.0.0.1:$up
}
CONF
HOME="$tmp/caddy" XDG_DATA_HOME="$tmp/caddy" XDG_CONFIG_HOME="$tmp/caddy" \
  caddy run --config "$tmp/caddy/Caddyfile" --adapter caddyfile >"$tmp/caddy.log" 2>&1 &
pids+=("$!")

# nginx as the reverse proxy: its own instance (two workers, as many as cores), a keep-alive pool.
range_port nginx_port
start_nginx "$tmp/nginx-proxy" nginx_pid "
  upstream bench { server 127.0.0.1:$up; keepalive 32; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / { proxy_pass http://bench; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
  }" auto
pids+=("$nginx_pid")
wait_port "$up"; wait_port "$caddy_port"; wait_port "$nginx_port"
for p in "$up" "$http" "$caddy_port" "$nginx_port"; do   # each answers 200 with the file
  curl -fsS -o /dev/null -H 'Host: bench.localhost' "http://127.0.0.1:$p/"
done

host='|Host: bench.localhost'
echo "load before: $(uptime)"
python3 "$root/bench/http/wrk-rounds.py" \
  --target "direct=http://127.0.0.1:$up/$host" \
  --target "porthole=http://127.0.0.1:$http/$host" \
  --target "caddy=http://127.0.0.1:$caddy_port/$host" \
  --target "nginx=http://127.0.0.1:$nginx_port/$host" \
  --pair porthole:caddy --pair porthole:nginx "$@"
echo "load after: $(uptime)"
