#!/usr/bin/env python3
"""Where a latency toxic's error comes from: 20 ms each way, sockperf ping-pong (64 B) through
`porthole proxy`, one chunk at a time, split into its parts.

The proxy runs with -Dporthole.proxy.timing.trace (TimingTrace: per chunk its read, due, release
and write times); `perf record -k mono -a` traces the same run in the same clock: the sockperf
sends (a chunk's arrival), the proxy threads' wake-ups and context switches, and the hrtimers they
arm (a timer's slack is expires - softexpires). Per direction it prints:

  read       arrival (the peer's send) -> the toxic sees the chunk (due = read + 20 ms)
  wake       of that: the loop thread woken -> running (the scheduler and the idle vCPU)
  late       due -> released (the timer and the loop)
  write      released -> the write system call (with --no-perf: until the write returned, which
             can wait behind the receiver it woke on the same CPU)
  hold       arrival -> the write system call, minus 20 ms: the proxy's own error, as a wire
             trace would see it

and the worst holds with what the loop thread was doing. --perf off: only late and write.
Also the proxy's CPU: idle for --idle seconds, then while carrying the ping-pong.

  python3 bench/proxy/latency-trace.py --jar new=porthole-cli/target/porthole.jar \\
      --jar 'base=/tmp/base.jar -Dio.netty.channel.epoll.epollWaitThreshold=0' --rounds 2 --seconds 20

Jars (NAME=JAR, then JVM options) alternate in each round. Ports from PORT_BASE (default 42500).
Needs sockperf, perf (root) and tracefs mounted at /sys/kernel/tracing.
"""
import argparse, bisect, os, re, signal, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchnet import HOST, Ports, wait_listen  # noqa: E402

LATENCY_NS = 20_000_000
EVENTS = ["sched:sched_waking", "sched:sched_switch", "timer:hrtimer_start",
          "syscalls:sys_enter_sendto", "syscalls:sys_enter_write", "syscalls:sys_enter_writev",
          "syscalls:sys_enter_sendmsg"]
LINE = re.compile(r"^\s*(.+?)\s+(\d+)/(\d+)\s+\[(\d+)\]\s+(\d+)\.(\d+):\s+(\S+):\s*(.*)$")


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(len(v) * p))]


def read_trace(path, server_port):
    held, sent = {}, {}
    with open(path) as f:
        for line in f:
            kind, a, b, c = line.split()
            if kind == "held":
                held[int(b)] = (int(a), "down" if int(c) == server_port else "up")
            else:
                sent[int(a)] = (int(b), int(c))
    return held, sent


def read_perf(data, proxy_tids, senders):
    """Returns sends per direction, and the wakings, switches and timer slack of the proxy's loop
    thread that carried the connection (the proxy thread with the most writes)."""
    out = subprocess.run(["perf", "script", "-i", data, "--ns", "-F", "comm,pid,tid,cpu,time,event,trace"],
                         capture_output=True, text=True).stdout
    sends = {"up": [], "down": []}
    writes, events = {}, []
    for line in out.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        comm, pid, tid, cpu, sec, frac, event, trace = m.groups()
        t = int(sec) * 1_000_000_000 + int(frac.ljust(9, "0")[:9])
        pid, tid = int(pid), int(tid)
        if event.startswith("syscalls:"):
            if pid in senders:
                sends[senders[pid]].append(t)
            elif tid in proxy_tids:
                writes.setdefault(tid, []).append(t)
        else:
            events.append((t, tid, comm, event, trace))
    loop = max(writes, key=lambda k: len(writes[k])) if writes else -1
    waking, switch_in, switch_out, slack = [], [], [], []
    for t, tid, comm, event, trace in events:
        if event == "sched:sched_waking":
            if int(re.search(r" pid=(\d+)", trace).group(1)) == loop:
                waking.append(t)
        elif event == "sched:sched_switch":
            if int(re.search(r"next_pid=(\d+)", trace).group(1)) == loop:
                switch_in.append(t)
            if int(re.search(r"prev_pid=(\d+)", trace).group(1)) == loop:
                state = re.search(r"prev_state=(\S+)", trace).group(1)
                nxt_comm = re.search(r"next_comm=(.+?) next_pid", trace).group(1)
                switch_out.append((t, state, nxt_comm))
        elif event == "timer:hrtimer_start" and tid == loop and "hrtimer_wakeup" in trace:
            e = int(re.search(r" expires=(\d+)", trace).group(1))
            s = int(re.search(r"softexpires=(\d+)", trace).group(1))
            slack.append(e - s)
    for v in sends.values():
        v.sort()
    sends["proxy"] = sorted(writes.get(loop, []))
    return sends, sorted(waking), sorted(switch_in), sorted(switch_out), slack


def last_before(times, t):
    i = bisect.bisect_right(times, t)
    return times[i - 1] if i else None


def analyse(name, trace, server_port, perf_data, proxy_tids, senders, cpu_line):
    held, sent = read_trace(trace, server_port)
    rows = {"up": [], "down": []}
    if perf_data:
        sends, waking, switch_in, switch_out, slack = read_perf(perf_data, proxy_tids, senders)
        wake_t, in_t = waking, switch_in
        out_t = [s[0] for s in switch_out]
    for due, (read, d) in sorted(held.items()):
        if due not in sent:
            continue
        released, written = sent[due]
        r = {"late": released - due, "write": written - released}
        if perf_data:
            arrival = last_before(sends[d], read)
            if arrival is None or read - arrival > LATENCY_NS:
                continue
            r["read"] = read - arrival
            i = bisect.bisect_left(sends["proxy"], released)
            out = sends["proxy"][i] if i < len(sends["proxy"]) else written
            # On the wire at the write's entry: loopback delivers inside it, and its return can wait
            # behind the receiver it woke on the same CPU.
            r["write"] = out - released
            r["hold"] = out - arrival - LATENCY_NS
            i = bisect.bisect_right(wake_t, arrival)
            woke = wake_t[i] if i < len(wake_t) and wake_t[i] <= read else None
            if woke is not None:
                j = bisect.bisect_left(in_t, woke)
                r["wake"] = (in_t[j] - woke) if j < len(in_t) and in_t[j] <= read else None
            # Was the loop thread switched out while runnable between a ms before due and release?
            k = bisect.bisect_left(out_t, due - 1_000_000)
            pre = [s for s in switch_out[k:] if s[0] <= released and s[1].startswith("R")]
            r["preempted"] = ",".join(sorted({s[2] for s in pre}))
            # The last wake-up before release, against the due time (negative: early).
            w = last_before(in_t, released)
            r["woke_vs_due"] = (w - due) if w is not None else None
        rows[d].append(r)
    print("%s: %s" % (name, cpu_line))
    if perf_data and slack:
        print("  %s: timer slack of the loop's sleeps (ns): p50 %d p90 %d, %d of %d sleeps with slack > 1 us"
              % (name, pct(slack, .5), pct(slack, .9), sum(1 for s in slack if s > 1000), len(slack)))
    for d, rs in rows.items():
        if not rs:
            continue
        parts = ["read", "wake", "late", "write", "hold"] if perf_data else ["late", "write"]
        cells = []
        for p in parts:
            v = [r[p] / 1000 for r in rs if r.get(p) is not None]
            cells.append("%s p50 %.0f p90 %.0f p99 %.0f" % (p, pct(v, .5), pct(v, .9), pct(v, .99)))
        asleep = sum(1 for r in rs if r.get("wake") is not None)
        print("  %-4s n %d (loop asleep at arrival: %d) | %s" % (d, len(rs), asleep, " | ".join(cells)))
        if perf_data:
            worst = sorted(rs, key=lambda r: -r["hold"])[:5]
            for r in worst:
                print("       worst hold %+.0f us: read %.0f, wake %s, late %.0f, write %.0f, last wake-up %s us vs due,"
                      " preempted by: %s" % (
                          r["hold"] / 1000, r["read"] / 1000,
                          "-" if r.get("wake") is None else "%.0f" % (r["wake"] / 1000),
                          r["late"] / 1000, r["write"] / 1000,
                          "-" if r["woke_vs_due"] is None else "%+.0f" % (r["woke_vs_due"] / 1000),
                          r["preempted"] or "-"))
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", required=True, action="append", help="NAME=JAR [JVM options]; repeat")
    ap.add_argument("--java", default="java")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--idle", type=int, default=0, help="seconds of idle CPU measured before the traffic")
    ap.add_argument("--no-perf", action="store_true", help="only the proxy's own trace (late, write)")
    a = ap.parse_args()
    ports = Ports(42500)
    tmp = tempfile.mkdtemp(prefix="latency-trace-")
    server_port = ports.free()
    server = subprocess.Popen(["sockperf", "server", "--tcp", "-i", HOST, "-p", str(server_port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    hz = os.sysconf("SC_CLK_TCK")
    try:
        wait_listen(server_port)
        for rnd in range(a.rounds):
            for spec in a.jar:
                name, _, rest = spec.partition("=")
                jar, *opts = rest.split()
                port = ports.free()
                trace = os.path.join(tmp, "%s-%d.trace" % (name, rnd))
                proxy = subprocess.Popen(
                    [a.java, "-XX:+UseZGC", "--enable-native-access=ALL-UNNAMED",
                     "-Dporthole.proxy.timing.trace=" + trace] + opts + ["-jar", jar, "proxy",
                     "--listen", "%s:%d" % (HOST, port), "--upstream", "%s:%d" % (HOST, server_port),
                     "--toxic", "latency:latency=20,stream=upstream", "--toxic", "latency:latency=20"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
                try:
                    wait_listen(port)
                    time.sleep(5)  # past the proxy's warm-up (ProxyWarmUp: at most 3 s + 1 s)
                    idle = ""
                    if a.idle:
                        c0 = cpu_ticks(proxy.pid)
                        time.sleep(a.idle)
                        idle = "idle CPU %.2f %% of a core over %d s; " % (
                            (cpu_ticks(proxy.pid) - c0) / hz / a.idle * 100, a.idle)
                    load = os.getloadavg()[0]
                    tids = {int(t) for t in os.listdir("/proc/%d/task" % proxy.pid)}
                    # The client's pid is known before it starts (sh execs it), so perf can filter on it.
                    client = subprocess.Popen(["sh", "-c", "sleep 1.5; exec sockperf ping-pong --tcp -i %s -p %d -t %d -m 64"
                                               % (HOST, port, a.seconds)],
                                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                    perf_data = None if a.no_perf else os.path.join(tmp, "%s-%d.perf" % (name, rnd))
                    perf = None
                    if perf_data:
                        mine = " || ".join("common_pid == %d" % p for p in sorted(tids | {client.pid, server.pid}))
                        loop = " || ".join("pid == %d" % t for t in sorted(tids))
                        cmd = ["perf", "record", "-q", "-k", "mono", "-a", "-o", perf_data]
                        for e in EVENTS:
                            cmd += ["-e", e]
                            if e == "sched:sched_waking":
                                cmd += ["--filter", loop]
                            elif e != "sched:sched_switch":
                                cmd += ["--filter", mine]
                        perf = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    c0 = cpu_ticks(proxy.pid)
                    out = client.communicate(timeout=a.seconds + 60)[0]
                    busy = (cpu_ticks(proxy.pid) - c0) / hz / (a.seconds + 1.5) * 100
                    if perf:
                        perf.send_signal(signal.SIGINT)
                        perf.wait(timeout=60)
                    p50 = re.search(r"percentile 50.000 =\s*([\d.]+)", out)
                    cpu_line = "round %d load %.2f; %sCPU with the ping-pong %.2f %% of a core; sockperf p50 %s us" % (
                        rnd + 1, load, idle, busy, p50.group(1) if p50 else "?")
                finally:
                    proxy.send_signal(signal.SIGTERM)
                    proxy.wait(timeout=30)
                analyse(name, trace, server_port, perf_data, tids, {client.pid: "up", server.pid: "down"}, cpu_line)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
