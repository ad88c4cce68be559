#!/usr/bin/env python3
"""Times the daemon's Toxiproxy API: GET /proxies, and a create + add toxic + delete cycle.

Usage: bench/daemon/api-bench.py [--url http://127.0.0.1:62893] [--n 500]
Start a daemon first (porthole up --port 0 --data-dir /tmp/bench-daemon). One keep-alive
connection, sequential requests: this measures per-request cost, not concurrency.
"""
import argparse
import http.client
import statistics
import time
import urllib.parse


def timed(conn, method, path, body=None):
    start = time.perf_counter()
    conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    r.read()
    elapsed = time.perf_counter() - start
    if r.status >= 400:
        raise SystemExit(f"{method} {path}: HTTP {r.status}")
    return elapsed


def report(name, samples):
    samples.sort()
    p = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))] * 1000
    print(f"{name:<34} n={len(samples):<5} p50={p(0.5):7.2f} ms  p99={p(0.99):7.2f} ms  "
          f"{len(samples) / sum(samples):8.0f} /s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:62893")
    ap.add_argument("--n", type=int, default=500)
    args = ap.parse_args()
    u = urllib.parse.urlparse(args.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    for i in range(20):  # a few proxies so the list is not empty
        timed(conn, "POST", "/proxies",
              f'{{"name":"bench{i}","listen":"127.0.0.1:0","upstream":"127.0.0.1:9"}}')
    for _ in range(50):  # warm-up
        timed(conn, "GET", "/proxies")
    report("GET /proxies (20 proxies)", [timed(conn, "GET", "/proxies") for _ in range(args.n)])
    cycle = []
    for i in range(args.n):
        start = time.perf_counter()
        timed(conn, "POST", "/proxies", f'{{"name":"c{i}","listen":"127.0.0.1:0","upstream":"127.0.0.1:9"}}')
        timed(conn, "POST", f"/proxies/c{i}/toxics", '{"type":"latency","attributes":{"latency":10}}')
        timed(conn, "DELETE", f"/proxies/c{i}")
        cycle.append(time.perf_counter() - start)
    report("create + toxic + delete (3 requests)", cycle)
    for i in range(20):
        timed(conn, "DELETE", f"/proxies/bench{i}")


if __name__ == "__main__":
    main()
