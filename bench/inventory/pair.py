#!/usr/bin/env python3
"""Runs two commands in turn (A B A B ...), each as a whole process, and prints the medians of
their wall and CPU time (user + sys, from the kernel's accounting of the finished child) and the
median of the per-pair ratios A/B, so that a machine whose speed drifts during the run still
compares like with like. Output is thrown away. Used by who-vs-ss.sh; runs alone too:

    bench/inventory/pair.py ROUNDS 'A COMMAND' 'B COMMAND' [WARMUP]
"""
import os
import shlex
import statistics
import subprocess
import sys
import time


def run(argv):
    start = time.perf_counter()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime


def main(rounds, a, b, warmup):
    argv = {"A": shlex.split(a), "B": shlex.split(b)}
    for _ in range(warmup):
        run(argv["A"])
        run(argv["B"])
    got = {"A": [], "B": []}
    for _ in range(rounds):
        for k in ("A", "B"):
            got[k].append(run(argv[k]))
    print(f"# {rounds} pairs after {warmup} warm-up pairs, load {open('/proc/loadavg').read().split()[:3]}")
    for k, cmd in (("A", a), ("B", b)):
        wall = statistics.median(w for w, _ in got[k]) * 1000
        cpu = statistics.median(c for _, c in got[k]) * 1000
        print(f"{k} median wall {wall:8.1f} ms  cpu {cpu:8.1f} ms  | {cmd}")
    for i, what in ((0, "wall"), (1, "cpu")):
        ratios = [x[i] / y[i] for x, y in zip(got["A"], got["B"]) if y[i] > 0]
        if ratios:
            print(f"A/B {what} ratio, median of pairs: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        sys.exit("usage: pair.py ROUNDS 'A COMMAND' 'B COMMAND' [WARMUP]")
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) == 5 else 2)
