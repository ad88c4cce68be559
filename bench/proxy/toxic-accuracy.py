#!/usr/bin/env python3
"""Accuracy of the latency and bandwidth toxics: porthole next to Toxiproxy, alternately, in one run.

  latency    20 ms on each direction: sockperf ping-pong (64 B) half round trip, p50 and p99,
             against the 20,000 us asked for, with direct subtracted twice: at full speed
             (columns "err") and at the toxic's pace, one message per 40 ms (columns "paced"),
             where sockperf's own two ends wake from idle as they do behind the toxic
  bandwidth  10,000 KB/s upstream: iperf3 received rate against the rate asked for

Every round measures direct, porthole and toxiproxy in turn (A B C A B C ...). Ports come from
PORT_BASE (default 42100) up. Needs sockperf, iperf3, a porthole jar and the Toxiproxy 2.12 anchor.

  python3 bench/proxy/toxic-accuracy.py --jar porthole-cli/target/porthole.jar --java JAVA \\
      --toxiproxy ../shared/anchors/toxiproxy-server --rounds 3
"""
import argparse, json, os, socket, statistics, subprocess, sys, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchnet import HOST, Ports, wait_listen, stop_groups  # noqa: E402

free_port = Ports(42100).free
LATENCY_MS, RATE_KBS = 20, 10000


def sockperf(port, seconds, mps=None):
    pace = [] if mps is None else ["--mps", str(mps)]
    out = subprocess.run(["sockperf", "ping-pong", "--tcp", "-i", HOST, "-p", str(port), "-t", str(seconds),
                          "-m", "64"] + pace, capture_output=True, text=True, timeout=seconds + 60)
    p = {}
    for line in (out.stdout + out.stderr).splitlines():
        for q in ("50.000", "99.000"):
            if "percentile %s" % q in line:
                p[q] = float(line.split("=")[-1])
    return p.get("50.000", float("nan")), p.get("99.000", float("nan"))


def iperf(port, seconds):
    out = subprocess.run(["iperf3", "-c", HOST, "-p", str(port), "-t", str(seconds), "-J"],
                         capture_output=True, text=True, timeout=seconds + 60)
    try:
        return json.loads(out.stdout)["end"]["sum_received"]["bits_per_second"] / 8 / 1000
    except (KeyError, ValueError):
        return float("nan")


def post(port, path, body):
    req = urllib.request.Request("http://%s:%d%s" % (HOST, port, path), data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(req, timeout=10).read()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", required=True, action="append",
                    help="a porthole jar, or NAME=JAR; repeat to compare builds (first: 'porthole')")
    ap.add_argument("--java", default="java")
    ap.add_argument("--toxiproxy", required=True, help="the toxiproxy-server binary")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--latency-only", action="store_true", help="skip the bandwidth rounds (iperf3)")
    a = ap.parse_args()
    print("load at start: %.2f %.2f %.2f" % os.getloadavg(), flush=True)
    procs = []

    def start(cmd):
        procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      start_new_session=True))

    try:
        sp, ip = free_port(), free_port()
        start(["sockperf", "server", "--tcp", "-i", HOST, "-p", str(sp)])
        start(["iperf3", "-s", "-B", HOST, "-p", str(ip)])
        lat, bw = {"direct": sp}, {}
        for i, spec in enumerate(a.jar):
            name, _, jar = spec.rpartition("=")
            name = name or ("porthole" if i == 0 else "porthole%d" % (i + 1))
            ph_lat, ph_bw = free_port(), free_port()
            java = [a.java, "-XX:+UseZGC", "--enable-native-access=ALL-UNNAMED", "-jar", jar, "proxy"]
            start(java + ["--listen", "%s:%d" % (HOST, ph_lat), "--upstream", "%s:%d" % (HOST, sp),
                          "--toxic", "latency:latency=%d,stream=upstream" % LATENCY_MS,
                          "--toxic", "latency:latency=%d" % LATENCY_MS])
            start(java + ["--listen", "%s:%d" % (HOST, ph_bw), "--upstream", "%s:%d" % (HOST, ip),
                          "--toxic", "bandwidth:rate=%d,stream=upstream" % RATE_KBS])
            lat[name], bw[name] = ph_lat, ph_bw
        api, tp_lat, tp_bw = free_port(), free_port(), free_port()
        start([a.toxiproxy, "-host", HOST, "-port", str(api)])
        for p in [sp, ip, api] + list(lat.values()) + list(bw.values()):
            wait_listen(p)
        post(api, "/proxies", {"name": "lat", "listen": "%s:%d" % (HOST, tp_lat), "upstream": "%s:%d" % (HOST, sp)})
        post(api, "/proxies", {"name": "bw", "listen": "%s:%d" % (HOST, tp_bw), "upstream": "%s:%d" % (HOST, ip)})
        for stream in ("upstream", "downstream"):
            post(api, "/proxies/lat/toxics", {"name": "l" + stream, "type": "latency", "stream": stream,
                                              "attributes": {"latency": LATENCY_MS}})
        post(api, "/proxies/bw/toxics", {"name": "b", "type": "bandwidth", "stream": "upstream",
                                         "attributes": {"rate": RATE_KBS}})
        for p in (tp_lat, tp_bw):
            wait_listen(p)
        lat["toxiproxy"], bw["toxiproxy"] = tp_lat, tp_bw
        res = {n: {"p50": [], "p99": [], "kbs": []} for n in list(lat) + ["paced"]}
        for r in range(a.rounds):
            for n, p in list(lat.items()) + [("paced", sp)]:
                p50, p99 = sockperf(p, a.seconds, 1000 // (2 * LATENCY_MS) if n == "paced" else None)
                res[n]["p50"].append(p50)
                res[n]["p99"].append(p99)
            for n, p in bw.items():
                res[n]["kbs"].append(float("nan") if a.latency_only else iperf(p, a.seconds))
            print("round %d/%d done" % (r + 1, a.rounds), file=sys.stderr)
        d50 = statistics.median(res["direct"]["p50"])
        d99 = statistics.median(res["direct"]["p99"])
        q50 = statistics.median(res["paced"]["p50"])
        q99 = statistics.median(res["paced"]["p99"])
        want = LATENCY_MS * 1000
        print("direct (us): p50 %.1f p99 %.1f; paced direct: p50 %.1f p99 %.1f" % (d50, d99, q50, q99))
        print("%-10s %14s %14s %14s %14s %10s %9s" % ("peer", "p50 err (us)", "p99 err (us)", "p50 paced",
                                                    "p99 paced", "KB/s", "rate err"))
        for n in bw:
            m50 = statistics.median(res[n]["p50"]) - want
            m99 = statistics.median(res[n]["p99"]) - want
            kbs = statistics.median(res[n]["kbs"])
            print("%-10s %+14.1f %+14.1f %+14.1f %+14.1f %10.0f %+8.2f%%" % (
                n, m50 - d50, m99 - d99, m50 - q50, m99 - q99, kbs, (kbs / RATE_KBS - 1) * 100))
        print("load at end: %.2f %.2f %.2f" % os.getloadavg())
        print("runs: " + json.dumps(res))
    finally:
        stop_groups(procs)


if __name__ == "__main__":
    main()
