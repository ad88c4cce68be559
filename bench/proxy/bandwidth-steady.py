#!/usr/bin/env python3
"""Steady-state rate of the bandwidth toxic (10,000 KB/s upstream), by the receiver's own clock.

A client writes 128 KiB blocks as fast as it can through `porthole proxy --toxic bandwidth`; a sink
counts what arrives and the rate is taken between 1.5 s and SECONDS-0.5 s after the client started,
so the start (JIT, an empty pipeline) is not in it. iperf3's figure in
toxic-accuracy.py covers the whole test instead. Jars alternate round by round (A B A B ...).

  python3 bench/proxy/bandwidth-steady.py --java JAVA --jar before=OLD.jar --jar after=NEW.jar
"""
import argparse, os, socket, statistics, subprocess, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchnet import HOST, Ports, wait_listen  # noqa: E402

RATE_KBS = 10000
free_port = Ports(42300).free


def measure(proxy_port, sink, seconds):
    marks = []

    def receive():
        total = 0
        while total == 0:  # wait_listen's probes reach the sink too, empty: skip them
            conn, _ = sink.accept()
            with conn:
                while True:
                    b = conn.recv(1 << 20)
                    if not b:
                        break
                    total += len(b)
                    marks.append((time.monotonic(), total))

    t = threading.Thread(target=receive)
    t.start()
    block = b"x" * 131072
    start = time.monotonic()
    with socket.create_connection((HOST, proxy_port)) as c:
        while time.monotonic() < start + seconds:
            c.sendall(block)
    t.join(seconds + 30)
    # The window is on the client's clock: from 1.5 s (past the start and the JIT) to 0.5 s
    # before the client stops (buffers then drain at the toxic's rate, which is still fair).
    a = next(m for m in marks if m[0] - start >= 1.5)
    b = next(m for m in marks if m[0] - start >= seconds - 0.5)
    return (b[1] - a[1]) / (b[0] - a[0]) / 1000


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", required=True, action="append", help="NAME=JAR; repeat to compare builds")
    ap.add_argument("--java", default="java")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=6)
    a = ap.parse_args()
    sink_port = free_port()
    sink = socket.create_server((HOST, sink_port))
    procs, ports = [], {}
    try:
        for spec in a.jar:
            name, _, jar = spec.rpartition("=")
            port = free_port()
            procs.append(subprocess.Popen(
                [a.java, "-XX:+UseZGC", "--enable-native-access=ALL-UNNAMED", "-jar", jar, "proxy",
                 "--listen", "%s:%d" % (HOST, port), "--upstream", "%s:%d" % (HOST, sink_port),
                 "--toxic", "bandwidth:rate=%d,stream=upstream" % RATE_KBS],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
            ports[name or jar] = port
        for p in ports.values():
            wait_listen(p)
        res = {n: [] for n in ports}
        for r in range(a.rounds):
            for n, p in ports.items():
                res[n].append(measure(p, sink, a.seconds))
            print("round %d/%d: " % (r + 1, a.rounds)
                  + "  ".join("%s %.0f KB/s" % (n, res[n][-1]) for n in ports), file=sys.stderr)
        for n, v in res.items():
            m = statistics.median(v)
            print("%-10s median %7.0f KB/s  %+6.2f%%  (rounds: %s)"
                  % (n, m, (m / RATE_KBS - 1) * 100, " ".join("%.0f" % x for x in v)))
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=10)
        sink.close()


if __name__ == "__main__":
    main()
