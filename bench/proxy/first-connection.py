#!/usr/bin/env python3
"""First connection through each new proxy of a running daemon (`porthole up`).

Starts the daemon (its own data directory, router and watch off), waits until it answers, waits
--settle seconds (the time a daemon has between start and a user's first proxy), then creates
--proxies proxies one after another through the API; through each new one it times one connection:
connect, 64 bytes there and back, close. Prints the times in ms, the first proxy's apart.

  python3 bench/proxy/first-connection.py --jar porthole-cli/target/porthole.jar --java JAVA
"""
import argparse, json, os, shutil, socket, subprocess, sys, tempfile, threading, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchnet import HOST, Ports  # noqa: E402

free_port = Ports(42000).free


def echo_server():
    srv = socket.socket()
    srv.bind((HOST, free_port()))
    srv.listen(64)

    def serve(c):
        with c:
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            while True:
                d = c.recv(65536)
                if not d:
                    return
                c.sendall(d)

    def accept():
        while True:
            c, _ = srv.accept()
            threading.Thread(target=serve, args=(c,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return srv.getsockname()[1]


def api(port, method, path, body=None):
    req = urllib.request.Request("http://%s:%d%s" % (HOST, port, path), method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status


def one_connection(port):
    t0 = time.perf_counter()
    with socket.create_connection((HOST, port), timeout=10) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(b"x" * 64)
        got = b""
        while len(got) < 64:
            d = s.recv(64 - len(got))
            if not d:
                raise RuntimeError("closed early")
            got += d
    return (time.perf_counter() - t0) * 1000


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--java", default="java")
    ap.add_argument("--proxies", type=int, default=5)
    ap.add_argument("--settle", type=float, default=2.0)
    ap.add_argument("--jvm", default="", help="extra JVM options, e.g. -Dporthole.warmup=false")
    a = ap.parse_args()
    up = echo_server()
    api_port = free_port()
    data = tempfile.mkdtemp(prefix="first-conn-")
    cmd = [a.java] + a.jvm.split() + ["-jar", a.jar, "up", "--port", str(api_port), "--data-dir", data,
                                      "--no-router", "--no-watch", "--no-notify"]
    daemon = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Waits on ss, not by connecting: a connect to a port nobody listens on yet can pick that
        # same port as its source (the range is inside the ephemeral one) and connect to itself.
        for _ in range(600):
            if subprocess.run(["ss", "-ltnH", "sport = :%d" % api_port], capture_output=True,
                              text=True).stdout.strip():
                break
            time.sleep(0.1)
        else:
            sys.exit("daemon did not listen within 60 s")
        for _ in range(300):
            try:
                if api(api_port, "GET", "/api/status") == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit("daemon did not answer within 30 s")
        time.sleep(a.settle)
        times = []
        for i in range(a.proxies):
            lp = free_port()
            api(api_port, "POST", "/api/proxies",
                {"name": "p%d" % i, "listen": "%s:%d" % (HOST, lp), "upstream": "%s:%d" % (HOST, up)})
            times.append(one_connection(lp))
        print("first connection per new proxy (ms): first %.2f, later %s" %
              (times[0], " ".join("%.2f" % t for t in times[1:])))
    finally:
        daemon.terminate()
        try:
            daemon.wait(timeout=10)
        except subprocess.TimeoutExpired:
            daemon.kill()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
