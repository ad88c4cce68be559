#!/usr/bin/env python3
"""Runs h2load against several targets in alternating rounds (A B C A B C ...) and prints, per
target, the median requests/s and mean request time over the rounds and the ratio to the first
target. h2load, unlike wrk, connects to one address while naming another in SNI and :authority
(--connect-to), which HTTPS routing by name needs on a machine that does not resolve *.localhost.
h2load prints min/max/mean/sd of request times, no percentiles: the mean is what there is.

  h2load-rounds.py --target 'direct=http://127.0.0.1:8080/|h1' \\
      --target 'router=https://bench.localhost:8443/|h2|127.0.0.1:8443'
"""
import argparse, json, re, statistics, subprocess, sys

UNITS = {"us": 1.0, "ms": 1000.0, "s": 1_000_000.0}


def micros(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    return float(m.group(1)) * UNITS[m.group(2)]


def run_h2load(target, seconds, connections, streams, requests=0):
    """Runs h2load for `seconds`, or for `requests` requests when given (the warm-up: h2load's
    --duration mode hangs when a connection is still in its TLS handshake as the time runs out,
    which a cold JVM's first handshakes on a loaded machine are)."""
    name, url, proto, connect_to = target
    length = ["-n", str(requests)] if requests else ["-D", str(seconds)]
    cmd = ["h2load", "-c", str(connections), "-t", "1", *length, url]
    cmd[1:1] = ["-m", str(streams)] if proto == "h2" else ["--h1"]
    if connect_to:
        cmd[1:1] = [f"--connect-to={connect_to}"]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120).stdout
    except subprocess.TimeoutExpired:
        sys.exit(f"h2load-rounds: {name}: h2load did not finish ({' '.join(cmd)})")
    rps = re.search(r"finished in \S+, ([\d.]+) req/s", out)
    done = re.search(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed", out)
    codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    mean = re.search(r"time for request:\s+\S+\s+\S+\s+(\S+)", out)
    proto_seen = re.search(r"Application protocol: (\S+)", out)
    if not (rps and done and codes and mean):
        sys.exit(f"h2load-rounds: no figures from h2load for {name} ({' '.join(cmd)}):\n{out}")
    bad = int(done.group(3)) + sum(int(codes.group(i)) for i in (2, 3, 4))
    if bad or int(done.group(2)) == 0:
        sys.exit(f"h2load-rounds: {name} had failed or non-2xx requests, figures would lie:\n{out}")
    want = "h2" if proto == "h2" else "http/1.1"
    if not proto_seen or proto_seen.group(1) != want:
        sys.exit(f"h2load-rounds: {name} spoke {proto_seen and proto_seen.group(1)}, not {want}")
    return float(rps.group(1)), micros(mean.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", action="append", required=True,
                    help="NAME=URL|h1 or h2[|CONNECT_TO host:port]")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--streams", type=int, default=1, help="concurrent streams per h2 connection")
    ap.add_argument("--warmup", type=int, default=2,
                    help="unmeasured requests per target: this times 100 per connection")
    ap.add_argument("--pair", action="append", default=[], help="A:B, also print A/B per round")
    ap.add_argument("--json", help="also write the per-round figures here")
    a = ap.parse_args()
    targets = []
    for t in a.target:
        name, rest = t.split("=", 1)
        parts = rest.split("|")
        targets.append((name, parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
    for t in targets:  # JIT, TLS session setup, connection pools
        run_h2load(t, a.warmup, a.connections, a.streams, requests=a.warmup * 100 * a.connections)
    rounds = {t[0]: [] for t in targets}
    for r in range(a.rounds):
        for t in targets:
            rounds[t[0]].append(run_h2load(t, a.seconds, a.connections, a.streams))
        print(f"round {r + 1}/{a.rounds}: "
              + "  ".join(f"{t[0]} {rounds[t[0]][-1][0]:.0f}/s" for t in targets),
              file=sys.stderr, flush=True)
    base = targets[0][0]
    print(f"{'target':<16}{'req/s':>10}{'x ' + base:>12}{'mean us':>10}{'mean added':>12}")
    base_mean = statistics.median(x[1] for x in rounds[base])
    for t in targets:
        n = t[0]
        ratio = statistics.median(x[0] / b[0] for x, b in zip(rounds[n], rounds[base]))
        rps = statistics.median(x[0] for x in rounds[n])
        mean = statistics.median(x[1] for x in rounds[n])
        print(f"{n:<16}{rps:>10.0f}{ratio:>12.2f}{mean:>10.0f}{mean - base_mean:>12.0f}")
    for pair in a.pair:
        x, y = pair.split(":")
        ratio = statistics.median(p[0] / q[0] for p, q in zip(rounds[x], rounds[y]))
        per = " ".join(f"{p[0] / q[0]:.2f}" for p, q in zip(rounds[x], rounds[y]))
        dm = statistics.median(p[1] for p in rounds[x]) - statistics.median(q[1] for q in rounds[y])
        print(f"{x}/{y} req/s: median {ratio:.3f} (rounds: {per}); mean {dm:+.0f} us")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({n: [dict(rps=x[0], mean_us=x[1]) for x in v] for n, v in rounds.items()},
                      f, indent=1)


if __name__ == "__main__":
    main()
