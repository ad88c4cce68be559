#!/usr/bin/env python3
"""First connection through each new proxy of a running daemon (`porthole up`).

Starts the daemon (its own data directory, router and watch off), waits until it answers, waits
--settle seconds (the time a daemon has between start and a user's first proxy), then creates
--proxies proxies one after another through the API; through each new one it times one connection:
connect, 64 bytes there and back, close. Prints the times in ms, the first proxy's apart, the
time each create took, and one direct connection to the echo server right after each proxied one
(the same connection without the proxy: what the machine's scheduling costs at this load). The
echo server answers from one thread (selectors): no thread is started per connection.

  python3 bench/proxy/first-connection.py --jar porthole-cli/target/porthole.jar --java JAVA
"""
import argparse, json, os, selectors, shutil, socket, subprocess, sys, tempfile, threading, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchnet import HOST, Ports  # noqa: E402

free_port = Ports(42000).free


def echo_server():
    srv = socket.socket()
    srv.bind((HOST, free_port()))
    srv.listen(64)
    srv.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ)

    def serve():
        while True:
            for key, _ in sel.select():
                if key.fileobj is srv:
                    c, _ = srv.accept()
                    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    sel.register(c, selectors.EVENT_READ)
                    continue
                c = key.fileobj
                try:
                    d = c.recv(65536)
                except OSError:
                    d = b""
                if d:
                    c.sendall(d)
                else:
                    sel.unregister(c)
                    c.close()

    threading.Thread(target=serve, daemon=True).start()
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
        times, creates, direct = [], [], []
        load = "%.2f" % os.getloadavg()[0]
        for i in range(a.proxies):
            lp = free_port()
            t = time.perf_counter()
            api(api_port, "POST", "/api/proxies",
                {"name": "p%d" % i, "listen": "%s:%d" % (HOST, lp), "upstream": "%s:%d" % (HOST, up)})
            creates.append((time.perf_counter() - t) * 1000)
            times.append(one_connection(lp))
            direct.append(one_connection(up))
        print("first connection per new proxy (ms): first %.2f, later %s | create (ms) %s | direct (ms) %s"
              " | load %s-%.2f" % (times[0], " ".join("%.2f" % t for t in times[1:]),
                                   " ".join("%.1f" % t for t in creates),
                                   " ".join("%.2f" % t for t in direct), load, os.getloadavg()[0]))
    finally:
        daemon.terminate()
        try:
            daemon.wait(timeout=10)
        except subprocess.TimeoutExpired:
            daemon.kill()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
