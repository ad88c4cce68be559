#!/usr/bin/env python3
"""Throughput of 8 parallel streams (iperf3 -P 8) through porthole, HAProxy and socat, in one run.

The shared proxy-compare.py measures one stream; this measures --streams streams at once, which
is where a proxy's event loops (porthole: one per core) and HAProxy's threads share the cores.
Every round measures direct, haproxy (tcp mode, splice forced both ways), socat and each porthole
jar in turn. Ports come from PORT_BASE (default 42200) up. Prints medians, ratios to direct and
porthole's ratio to HAProxy.

  python3 bench/proxy/parallel.py --jar porthole-cli/target/porthole.jar --java JAVA --rounds 3
"""
import argparse, json, os, socket, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchnet import HOST, Ports, wait_listen, stop_groups  # noqa: E402

free_port = Ports(42200).free


def iperf(port, seconds, streams):
    out = subprocess.run(["iperf3", "-c", HOST, "-p", str(port), "-t", str(seconds), "-P", str(streams), "-J"],
                         capture_output=True, text=True, timeout=seconds + 60)
    try:
        return json.loads(out.stdout)["end"]["sum_received"]["bits_per_second"] / 1e9
    except (KeyError, ValueError):
        return float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", required=True, action="append", help="a porthole jar, or NAME=JAR (repeatable)")
    ap.add_argument("--java", default="java")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--streams", type=int, default=8)
    a = ap.parse_args()
    procs, tmp = [], tempfile.mkdtemp(prefix="parallel-")

    def start(cmd):
        procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      start_new_session=True))

    try:
        up = free_port()
        start(["iperf3", "-s", "-B", HOST, "-p", str(up)])
        peers = {"direct": up}
        hp = free_port()
        cfg = os.path.join(tmp, "haproxy.cfg")
        with open(cfg, "w") as f:
            f.write("global\n  maxconn 4000\ndefaults\n  mode tcp\n  option splice-request\n  option splice-response\n"
                    "  timeout connect 5s\n  timeout client 120s\n  timeout server 120s\n"
                    "frontend f\n  bind %s:%d\n  default_backend b\nbackend b\n  server s1 %s:%d\n" % (HOST, hp, HOST, up))
        start(["haproxy", "-db", "-f", cfg])
        peers["haproxy"] = hp
        sp = free_port()
        start(["socat", "TCP-LISTEN:%d,bind=%s,reuseaddr,fork" % (sp, HOST), "TCP:%s:%d,nodelay" % (HOST, up)])
        peers["socat"] = sp
        names = []
        for i, spec in enumerate(a.jar):
            name, _, jar = spec.rpartition("=")
            name = name or ("porthole" if i == 0 else "porthole%d" % (i + 1))
            lp = free_port()
            start([a.java, "-XX:+UseZGC", "--enable-native-access=ALL-UNNAMED", "-jar", jar, "proxy",
                   "--listen", "%s:%d" % (HOST, lp), "--upstream", "%s:%d" % (HOST, up)])
            peers[name] = lp
            names.append(name)
        for p in peers.values():
            wait_listen(p)
        res = {n: [] for n in peers}
        for r in range(a.rounds):
            for n, p in peers.items():
                res[n].append(iperf(p, a.seconds, a.streams))
            print("round %d/%d done" % (r + 1, a.rounds), file=sys.stderr)
        med = {n: statistics.median(v) for n, v in res.items()}
        print("%d parallel streams" % a.streams)
        print("%-12s %10s %9s %10s" % ("peer", "Gbit/s", "x direct", "x haproxy"))
        for n, m in med.items():
            print("%-12s %10.2f %9.2f %10.2f" % (n, m, m / med["direct"], m / med["haproxy"]))
        print("runs: " + json.dumps(res))
    finally:
        stop_groups(procs)
        subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()
