#!/usr/bin/env python3
"""Runs wrk against several targets in alternating rounds (A B C A B C ...) and prints, per
target, the median requests/s, p50 and p99 over the rounds, the ratio to the first target and
the latency added to it. Alternating keeps the ratios meaningful on a machine whose speed drifts.

  wrk-rounds.py --target direct=http://127.0.0.1:8080/ --target 'proxy=http://127.0.0.1:9090/|Host: a.localhost'
"""
import argparse, json, re, statistics, subprocess, sys

UNITS = {"us": 1.0, "ms": 1000.0, "s": 1_000_000.0}


def micros(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    return float(m.group(1)) * UNITS[m.group(2)]


def run_wrk(url, header, seconds, connections, threads):
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", url]
    if header:
        cmd[1:1] = ["-H", header]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: (.*)", out)
    if not (rps and p50 and p99):
        sys.exit(f"wrk-rounds: no figures from wrk for {url}:\n{out}")
    if errors or socket:
        sys.exit(f"wrk-rounds: {url} had errors, figures would lie:\n{out}")
    return float(rps.group(1)), micros(p50.group(1)), micros(p99.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", action="append", required=True, help="NAME=URL[|HEADER]")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured wrk per target")
    ap.add_argument("--pair", action="append", default=[], help="A:B, also print A/B per round")
    ap.add_argument("--json", help="also write the per-round figures here")
    a = ap.parse_args()
    targets = []
    for t in a.target:
        name, rest = t.split("=", 1)
        url, _, header = rest.partition("|")
        targets.append((name, url, header))
    for _, url, header in targets:  # JIT, connection pools, caches
        run_wrk(url, header, a.warmup, a.connections, a.threads)
    rounds = {name: [] for name, _, _ in targets}
    for r in range(a.rounds):
        for name, url, header in targets:
            rounds[name].append(run_wrk(url, header, a.seconds, a.connections, a.threads))
        print(f"round {r + 1}/{a.rounds}: "
              + "  ".join(f"{n} {rounds[n][-1][0]:.0f}/s" for n, _, _ in targets),
              file=sys.stderr, flush=True)
    med = {n: [statistics.median(x[i] for x in v) for i in range(3)] for n, v in rounds.items()}
    base = targets[0][0]
    # Ratio per round, then the median: pairs taken in the same round share the machine's state.
    print(f"{'target':<14}{'req/s':>10}{'x ' + base:>12}{'p50 us':>10}{'p99 us':>10}"
          f"{'p50 added':>11}{'p99 added':>11}")
    for n, _, _ in targets:
        ratio = statistics.median(x[0] / b[0] for x, b in zip(rounds[n], rounds[base]))
        rps, p50, p99 = med[n]
        print(f"{n:<14}{rps:>10.0f}{ratio:>12.2f}{p50:>10.0f}{p99:>10.0f}"
              f"{p50 - med[base][1]:>11.0f}{p99 - med[base][2]:>11.0f}")
    for pair in a.pair:
        x, y = pair.split(":")
        ratio = statistics.median(p[0] / q[0] for p, q in zip(rounds[x], rounds[y]))
        per = " ".join(f"{p[0] / q[0]:.2f}" for p, q in zip(rounds[x], rounds[y]))
        print(f"{x}/{y} req/s: median {ratio:.3f} (rounds: {per}); p50 {med[x][1] - med[y][1]:+.0f} us,"
              f" p99 {med[x][2] - med[y][2]:+.0f} us")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({n: [dict(rps=x[0], p50_us=x[1], p99_us=x[2]) for x in v]
                       for n, v in rounds.items()}, f, indent=1)


if __name__ == "__main__":
    main()
