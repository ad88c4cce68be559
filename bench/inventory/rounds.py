#!/usr/bin/env python3
"""Runs several commands in rounds (A B C A B C ...), each as a whole process, and prints the
medians of their wall and CPU time (user + sys, from the kernel's accounting of the finished child)
and the median of the per-round ratios of every pair, so that a machine whose speed drifts during
the run still compares like with like. Output is thrown away. Leading NAME=VALUE words of a
command are its environment (no shell runs between us and the command, so its CPU is its own).

    bench/inventory/rounds.py [--warmup N] ROUNDS 'A COMMAND' 'B COMMAND' [...]

pair.py is the two-command form who-vs-ss.sh uses.
"""
import argparse
import os
import shlex
import statistics
import subprocess
import time


def parse(command):
    words = shlex.split(command)
    env = dict(os.environ)
    while words and "=" in words[0] and words[0].split("=", 1)[0].isidentifier():
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    return words, env


def run(argv, env):
    start = time.perf_counter()
    p = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"exit status {status}: {' '.join(argv)}")
    return wall, usage.ru_utime + usage.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("rounds", type=int)
    ap.add_argument("commands", nargs="+")
    a = ap.parse_args()
    parsed = [parse(c) for c in a.commands]
    for _ in range(a.warmup):
        for argv, env in parsed:
            run(argv, env)
    got = [[] for _ in parsed]
    for _ in range(a.rounds):
        for i, (argv, env) in enumerate(parsed):
            got[i].append(run(argv, env))
    load = open("/proc/loadavg").read().split()[:3]
    print(f"# {a.rounds} rounds after {a.warmup} warm-up rounds, load after {' '.join(load)}")
    names = [chr(ord("A") + i) for i in range(len(parsed))]
    for name, cmd, runs in zip(names, a.commands, got):
        wall = statistics.median(w for w, _ in runs) * 1000
        cpu = statistics.median(c for _, c in runs) * 1000
        print(f"{name} median wall {wall:8.1f} ms  cpu {cpu:8.1f} ms  | {cmd}")
    for i in range(len(parsed)):
        for j in range(i + 1, len(parsed)):
            cells = []
            for k, what in ((0, "wall"), (1, "cpu")):
                ratios = [x[k] / y[k] for x, y in zip(got[i], got[j]) if y[k] > 0]
                cells.append(f"{what} {statistics.median(ratios):.2f}" if ratios else f"{what} -")
            print(f"{names[i]}/{names[j]} median of per-round ratios: {', '.join(cells)}")


if __name__ == "__main__":
    main()
