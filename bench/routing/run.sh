#!/usr/bin/env bash
# Routing by name against the reverse proxies people use instead, to one nginx upstream serving
# a small static file: direct, through porthole's router (`porthole route add bench.localhost
# 127.0.0.1:UP`), through Caddy (`reverse_proxy`; `tls internal` for HTTPS) and through nginx
# (`proxy_pass` with a keep-alive upstream pool; a self-signed P-256 certificate for HTTPS, the
# key type of porthole's leaves and Caddy's), in alternating rounds.
#   HTTP:  wrk, HTTP/1.1 keep-alive, `Host: bench.localhost`; req/s, p50/p99.
#   HTTPS: h2load, which names bench.localhost in SNI and :authority while connecting to
#          127.0.0.1 (--connect-to; wrk cannot, and nothing here resolves *.localhost), over h2
#          and over HTTP/1.1 by ALPN; req/s and mean request time (h2load has no percentiles).
# Goals: porthole ahead of Caddy, within 15 % of nginx. Ports come from 64200-64299 (BENCH_PORTS
# changes them). `--only http` or `--only https` runs one half; the other arguments go to both
# round scripts (--rounds N --seconds N --connections N). ROUTING_BASE_JAR=path/to/porthole.jar
# adds a second router from that jar ("base": main's, say), measured in the same rounds, with the
# ratios porthole/base.
#
# Needs: nginx (nginx-light), caddy, wrk, h2load (nghttp2-client), openssl, python3, curl.
set -euo pipefail
only=both
if [ "${1:-}" = --only ]; then only=$2; shift 2; fi
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bench/http/lib.sh"
bench_private_jar

range_port up
start_upstream "$tmp/upstream" "$up" upstream_pid; pids+=("$upstream_pid")

# porthole: the daemon's router, one route.
range_port api; range_port http; range_port https
porthole up --port "$api" --http-port "$http" --https-port "$https" --data-dir "$tmp/porthole" \
  --no-watch --no-notify >"$tmp/porthole.log" 2>&1 &
pids+=("$!")
wait_port "$api"; wait_port "$http"
cli route add bench.localhost "127.0.0.1:$up" --url "http://127.0.0.1:$api" --data-dir "$tmp/porthole"

# The base router (ROUTING_BASE_JAR): the same daemon from another jar, its own ports and data.
base_http=() base_https_targets=() base_pairs_http=() base_pairs_https=()
if [ -n "${ROUTING_BASE_JAR:-}" ]; then
  cp "$ROUTING_BASE_JAR" "$tmp/base.jar"
  range_port base_api; range_port base_http_port; range_port base_https
  # ROUTING_BASE_JVM gives the base its own JVM options (the same jar with another collector, say).
  BENCH_JVM="${ROUTING_BASE_JVM:-${BENCH_JVM:-}}" jar="$tmp/base.jar" porthole up \
    --port "$base_api" --http-port "$base_http_port" --https-port "$base_https" \
    --data-dir "$tmp/base" --no-watch --no-notify >"$tmp/base.log" 2>&1 &
  pids+=("$!")
  wait_port "$base_api"; wait_port "$base_http_port"
  "$java" -jar "$tmp/base.jar" route add bench.localhost "127.0.0.1:$up" \
    --url "http://127.0.0.1:$base_api" --data-dir "$tmp/base"
fi

# Caddy: reverse_proxy, its state in the temp dir (no admin API); HTTPS with its own local CA
# (`tls internal`), kept out of the system's trust stores.
range_port caddy_port; range_port caddy_tls
mkdir -p "$tmp/caddy"
cat >"$tmp/caddy/Caddyfile" <<CONF
{
  admin off
  skip_install_trust
  auto_https disable_redirects
}
http://:$caddy_port {
  bind 127.0.0.1
  reverse_proxy 127.0.0.1:$up
}
https://bench.localhost:$caddy_tls {
  bind 127.0.0.1
  tls internal
  reverse_proxy 127.0.0.1:$up
}
CONF
HOME="$tmp/caddy" XDG_DATA_HOME="$tmp/caddy" XDG_CONFIG_HOME="$tmp/caddy" \
  caddy run --config "$tmp/caddy/Caddyfile" --adapter caddyfile >"$tmp/caddy.log" 2>&1 &
pids+=("$!")

# nginx as the reverse proxy: its own instance (two workers, as many as cores and as porthole's
# event loops and Caddy's GOMAXPROCS), a keep-alive pool, TLS 1.3 as porthole and Caddy speak it.
range_port nginx_port; range_port nginx_tls
mkdir -p "$tmp/nginx-proxy"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=bench.localhost -addext subjectAltName=DNS:bench.localhost \
  -keyout "$tmp/nginx-proxy/key.pem" -out "$tmp/nginx-proxy/cert.pem" 2>/dev/null
start_nginx "$tmp/nginx-proxy" nginx_pid "
  upstream bench { server 127.0.0.1:$up; keepalive 32; }
  server {
    listen 127.0.0.1:$nginx_port;
    listen 127.0.0.1:$nginx_tls ssl http2;
    ssl_certificate $tmp/nginx-proxy/cert.pem; ssl_certificate_key $tmp/nginx-proxy/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;   # Debian's nginx 1.22 offers TLS 1.2 only by default
    location / { proxy_pass http://bench; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
  }" auto
pids+=("$nginx_pid")
wait_port "$up"; wait_port "$caddy_port"; wait_port "$nginx_port"
# Each answers 200 with the file.
for p in "$up" "$http" "$caddy_port" "$nginx_port" ${base_http_port:-}; do
  curl -fsS -o /dev/null -H 'Host: bench.localhost' "http://127.0.0.1:$p/"
done
# The same over h2, by name (-k: three or four CAs).
for p in "$https" "$caddy_tls" "$nginx_tls" ${base_https:-}; do
  wait_port "$p"
  curl -fsSk --http2 -o /dev/null --resolve "bench.localhost:$p:127.0.0.1" "https://bench.localhost:$p/"
  # Same protocol and cipher for all three, or the comparison is not one.
  h2load -n 1 -c 1 --connect-to="127.0.0.1:$p" "https://bench.localhost:$p/" |
    grep -E '^(TLS Protocol|Cipher):' | tr '\n' ' ' | sed "s/^/port $p: /; s/ $/\n/"
done
curl -fsS "http://127.0.0.1:$api/api/router" | grep -o '"tls":"[^"]*"'
if [ -n "${ROUTING_BASE_JAR:-}" ]; then
  curl -fsS "http://127.0.0.1:$base_api/api/router" | grep -o '"tls":"[^"]*"' | sed 's/^/base: /'
  base_http=(--target "base=http://127.0.0.1:$base_http_port/|Host: bench.localhost")
  base_pairs_http=(--pair porthole:base)
  base_pairs_https=(--pair porthole-h2:base-h2 --pair porthole-h1:base-h1)
fi
tls() { echo "$1-$2=https://bench.localhost:$3/|$2|127.0.0.1:$3"; }
if [ -n "${ROUTING_BASE_JAR:-}" ]; then
  base_https_targets=(--target "$(tls base h2 "$base_https")"
    --target "$(tls base h1 "$base_https")")
fi

if [ "$only" != https ]; then
  host='|Host: bench.localhost'
  echo "HTTP/1.1, wrk; load before: $(uptime)"
  python3 "$root/bench/http/wrk-rounds.py" \
    --target "direct=http://127.0.0.1:$up/$host" \
    --target "porthole=http://127.0.0.1:$http/$host" \
    --target "caddy=http://127.0.0.1:$caddy_port/$host" \
    --target "nginx=http://127.0.0.1:$nginx_port/$host" "${base_http[@]}" \
    --pair porthole:caddy --pair porthole:nginx "${base_pairs_http[@]}" "$@"
  echo "load after: $(uptime)"
fi
if [ "$only" != http ]; then
  echo "HTTPS, h2load (h2: 1 stream per connection; h1: HTTP/1.1 by ALPN); load before: $(uptime)"
  python3 "$root/bench/http/h2load-rounds.py" \
    --target "direct-h1=http://127.0.0.1:$up/|h1" \
    --target "$(tls porthole h2 "$https")" --target "$(tls caddy h2 "$caddy_tls")" \
    --target "$(tls nginx h2 "$nginx_tls")" \
    --target "$(tls porthole h1 "$https")" --target "$(tls caddy h1 "$caddy_tls")" \
    --target "$(tls nginx h1 "$nginx_tls")" \
    "${base_https_targets[@]}" \
    --pair porthole-h2:caddy-h2 --pair porthole-h2:nginx-h2 \
    --pair porthole-h1:caddy-h1 --pair porthole-h1:nginx-h1 "${base_pairs_https[@]}" "$@"
  echo "load after: $(uptime)"
fi
