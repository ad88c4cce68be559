#!/usr/bin/env python3
"""Short connections through new proxies: porthole (daemon, CLI, library) next to Toxiproxy and direct.

One connection is what a test makes: connect, 64 bytes there and back, close, timed by the client
(first-connection.py's helpers and its one-thread echo server). Every candidate runs for the whole
run, started before the first round, which waits until all of them are idle (their warm-ups done, at
most --settle seconds):

  NAME-daemon  `porthole up` with the launcher's JVM options for `up`; a proxy is POST /api/proxies
  NAME-cli     one `porthole proxy --listen --upstream` (the launcher's options for `proxy`); it is
               one process per proxy, so it has no create: its connections only
  NAME-lib     LocalProxy in a JVM of its own (bench/proxy/LocalProxyServe.java), with warmUp()
               called at its start as the JUnit extension does; a proxy is one LocalProxy.start()
  toxiproxy    Toxiproxy's server; a proxy is POST /proxies
  direct       the echo server itself

Each round makes --proxies new proxies per candidate, alternating: proxy 1 of every candidate, then
proxy 2 of every one, ... (the candidates' order turns by one each round); through each new proxy
--connections connections one after another; the round's proxies are deleted at its end (not timed).
Prints, per candidate, the median and p90 of every connection, of each proxy's first connection and
of the creates, the ratio porthole/Toxiproxy of each, and the load (os.getloadavg) per round.
NAME=JAR repeats compare builds. Ports come from PORT_BASE (default 28000) up.

  PORT_BASE=28000 python3 bench/proxy/short-connections.py --jar new=porthole-cli/target/porthole.jar \\
      --jar base=/tmp/main-base.jar --java JAVA --toxiproxy ../shared/anchors/toxiproxy-server
"""
import argparse, importlib, os, shutil, statistics, subprocess, sys, tempfile, time

os.environ.setdefault("PORT_BASE", "28000")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
first = importlib.import_module("first-connection")  # its echo server, API call and connection
from benchnet import HOST, wait_listen, stop_groups  # noqa: E402

free_port = first.free_port


def launcher_options(java, command):
    """Returns the JVM options ./porthole gives `command` (scripts/jvm-options.sh)."""
    script = ('. "$1/scripts/jdk.sh"; . "$1/scripts/jvm-options.sh"; opts=(); '
              'porthole_jvm_options "$(porthole_jdk_major "$2")" "$3" || exit 2; printf "%s\\n" "${opts[@]}"')
    home = os.path.dirname(os.path.dirname(os.path.realpath(shutil.which(java) or java)))
    out = subprocess.run(["bash", "-c", script, "-", ROOT, home, command], capture_output=True, text=True,
                         check=True).stdout
    return [o for o in out.splitlines() if o]


class Daemon:
    """`porthole up`; a proxy is a POST to its own API."""

    def __init__(self, name, java, jar, procs, echo):
        self.name, self.echo, self.api = name + "-daemon", echo, free_port()
        self.data = tempfile.mkdtemp(prefix="short-conn-")
        self.proc = subprocess.Popen(
            [java] + launcher_options(java, "up") + ["--enable-native-access=ALL-UNNAMED", "-jar", jar, "up",
                                                     "--port", str(self.api), "--data-dir", self.data,
                                                     "--no-router", "--no-watch", "--no-notify"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        procs.append(self.proc)

    def ready(self):
        wait_listen(self.api, 60)
        for _ in range(300):
            try:
                if first.api(self.api, "GET", "/api/status") == 200:
                    return
            except OSError:
                time.sleep(0.1)
        sys.exit("%s did not answer within 30 s" % self.name)

    def create(self, i, listen):
        first.api(self.api, "POST", "/api/proxies", {"name": "p%d" % i, "listen": "%s:%d" % (HOST, listen),
                                                     "upstream": "%s:%d" % (HOST, self.echo)})
        return listen

    def delete(self, i, listen):
        first.api(self.api, "DELETE", "/api/proxies/p%d" % i)

    def close(self):
        shutil.rmtree(self.data, ignore_errors=True)


class Toxiproxy(Daemon):
    """Toxiproxy's server; a proxy is a POST to /proxies."""

    def __init__(self, binary, procs, echo):
        self.name, self.echo, self.api, self.data = "toxiproxy", echo, free_port(), None
        self.proc = subprocess.Popen([binary, "-host", HOST, "-port", str(self.api)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        procs.append(self.proc)

    def ready(self):
        wait_listen(self.api, 30)

    def create(self, i, listen):
        first.api(self.api, "POST", "/proxies", {"name": "p%d" % i, "listen": "%s:%d" % (HOST, listen),
                                                 "upstream": "%s:%d" % (HOST, self.echo)})
        return listen

    def delete(self, i, listen):
        first.api(self.api, "DELETE", "/proxies/p%d" % i)

    def close(self):
        pass


class Cli:
    """One `porthole proxy` for the whole run: no create."""

    def __init__(self, name, java, jar, procs, echo):
        self.name, self.listen = name + "-cli", free_port()
        self.proc = subprocess.Popen(
            [java] + launcher_options(java, "proxy") + ["--enable-native-access=ALL-UNNAMED", "-jar", jar, "proxy",
                                                        "--listen", "%s:%d" % (HOST, self.listen),
                                                        "--upstream", "%s:%d" % (HOST, echo)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        procs.append(self.proc)

    def ready(self):
        wait_listen(self.listen, 60)

    create = None

    def port(self):
        return self.listen

    def close(self):
        pass


class Direct(Cli):
    """The echo server itself."""

    def __init__(self, echo):
        self.name, self.listen, self.proc = "direct", echo, None

    def ready(self):
        pass


class Library:
    """LocalProxy in its own JVM, driven over a pipe (LocalProxyServe.java)."""

    def __init__(self, name, java, jar, procs, echo):
        self.name, self.echo = name + "-lib", echo
        self.proc = subprocess.Popen([java, "--enable-native-access=ALL-UNNAMED", "-cp", jar,
                                      os.path.join(HERE, "LocalProxyServe.java")], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                     start_new_session=True)
        procs.append(self.proc)

    def _ask(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        if not answer or answer.startswith("error"):
            sys.exit("%s: %r answered %r" % (self.name, line, answer))
        return answer

    def ready(self):
        answer = self.proc.stdout.readline().strip()
        if answer != "ready":
            sys.exit("%s did not start: %r" % (self.name, answer))

    def create(self, i, listen):
        return int(self._ask("open %d %d" % (listen, self.echo)))

    def delete(self, i, listen):
        self._ask("close %d" % listen)

    def close(self):
        pass


def cpu_seconds(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def settle(pids, longest):
    """Waits until every process used under 2 % of a core over one second (warm-ups and JIT done),
    at least 2 s and at most `longest` s; returns the seconds waited."""
    start = time.time()
    time.sleep(2)
    while time.time() - start < longest:
        before = [cpu_seconds(p) for p in pids]
        time.sleep(1)
        if all(cpu_seconds(p) - b < 0.02 for p, b in zip(pids, before)):
            break
    return time.time() - start


def pct(values, q):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", required=True, action="append",
                    help="a porthole jar, or NAME=JAR; repeat to compare builds (first: 'porthole')")
    ap.add_argument("--java", default="java")
    ap.add_argument("--toxiproxy", required=True, help="the toxiproxy-server binary")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--proxies", type=int, default=4, help="new proxies per candidate and round")
    ap.add_argument("--connections", type=int, default=10, help="connections through each new proxy")
    ap.add_argument("--settle", type=float, default=120.0,
                    help="the longest wait, in s, for every candidate to go idle before the first round")
    ap.add_argument("--no-cli", action="store_true")
    ap.add_argument("--no-lib", action="store_true")
    a = ap.parse_args()
    procs, cands = [], []
    echo = first.echo_server()
    print("load at start: %.2f %.2f %.2f" % os.getloadavg(), flush=True)
    try:
        for i, spec in enumerate(a.jar):
            name, _, jar = spec.rpartition("=")
            name = name or ("porthole" if i == 0 else "porthole%d" % (i + 1))
            cands.append(Daemon(name, a.java, jar, procs, echo))
            if not a.no_cli:
                cands.append(Cli(name, a.java, jar, procs, echo))
            if not a.no_lib:
                cands.append(Library(name, a.java, jar, procs, echo))
        cands.append(Toxiproxy(a.toxiproxy, procs, echo))
        cands.append(Direct(echo))
        for c in cands:
            c.ready()
        waited = settle([p.pid for p in procs], a.settle)
        print("candidates idle after %.1f s (their warm-ups done), load %.2f; CPU s used so far: %s" % (
            waited, os.getloadavg()[0], " ".join("%s %.1f" % (c.name, cpu_seconds(c.proc.pid))
                                                 for c in cands if c.proc)), flush=True)
        res = {c.name: {"conn": [], "first": [], "create": [], "rounds": []} for c in cands}
        for r in range(a.rounds):
            load0 = os.getloadavg()[0]
            order = cands[r % len(cands):] + cands[:r % len(cands)]
            made = {c.name: [] for c in cands}
            for i in range(a.proxies):
                for c in order:
                    if c.create is None:
                        port = c.port()
                    else:
                        listen = free_port()
                        t = time.perf_counter()
                        port = c.create(r * a.proxies + i, listen)
                        res[c.name]["create"].append((time.perf_counter() - t) * 1000)
                        made[c.name].append((r * a.proxies + i, port))
                    times = [first.one_connection(port) for _ in range(a.connections)]
                    res[c.name]["conn"].extend(times)
                    res[c.name]["first"].append(times[0])
                    res[c.name]["rounds"].append(times)
            for c in cands:
                for i, port in made[c.name]:
                    c.delete(i, port)
            print("round %d/%d load %.2f-%.2f" % (r + 1, a.rounds, load0, os.getloadavg()[0]), flush=True)
        tp = res["toxiproxy"]
        print("\nms per connection (%d rounds x %d new proxies x %d connections), create: the API call"
              % (a.rounds, a.proxies, a.connections))
        print("%-16s %8s %8s %9s %9s %9s %9s   %s" % ("candidate", "conn p50", "conn p90", "first p50", "first p90",
                                                    "create p50", "create p90", "ratio to toxiproxy p50:"
                                                    " conn / first / create"))
        for c in cands:
            m = res[c.name]
            ratio = lambda k: statistics.median(m[k]) / statistics.median(tp[k]) if m[k] else float("nan")
            print("%-16s %8.3f %8.3f %9.3f %9.3f %9.2f %9.2f   %.2f / %.2f / %.2f" % (
                c.name, pct(m["conn"], .5), pct(m["conn"], .9), pct(m["first"], .5), pct(m["first"], .9),
                pct(m["create"], .5), pct(m["create"], .9), ratio("conn"), ratio("first"), ratio("create")))
        print("load at end: %.2f %.2f %.2f" % os.getloadavg())
    finally:
        stop_groups(procs)
        for c in cands:
            c.close()


if __name__ == "__main__":
    main()
