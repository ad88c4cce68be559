#!/usr/bin/env python3
"""Many concurrent connections through one `porthole proxy` with a capped heap.

Starts an asyncio echo server (its own process), `porthole proxy` with -Xmx256m in front of it,
then opens N connections through the proxy, keeps them all open, does one round trip on each,
a second round trip on all of them at once, and closes them. Prints errors, times and the
proxy's resident memory. The proxy holds two sockets per connection, so N is bounded by the
open-files limit (ulimit -n) of the machine: N <= (limit - 200) / 2.

  python3 bench/proxy/connections.py --jar porthole-cli/target/porthole.jar --java JAVA -n 9000
"""
import argparse, asyncio, os, socket, subprocess, sys, time

HOST = "127.0.0.1"


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


SERVER = r'''
import asyncio, sys
async def echo(r, w):
    try:
        while True:
            data = await r.read(65536)
            if not data:
                break
            w.write(data)
            await w.drain()
    except ConnectionError:
        pass
    w.close()
async def main():
    s = await asyncio.start_server(echo, "127.0.0.1", int(sys.argv[1]), backlog=4096)
    async with s:
        await s.serve_forever()
asyncio.run(main())
'''


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def run(port, n, batch):
    conns, errors = [], 0
    sem = asyncio.Semaphore(batch)

    async def one():
        nonlocal errors
        async with sem:
            try:
                r, w = await asyncio.wait_for(asyncio.open_connection(HOST, port), 30)
                w.write(b"x")
                await w.drain()
                if await asyncio.wait_for(r.readexactly(1), 30) != b"x":
                    errors += 1
                conns.append((r, w))
            except Exception:
                errors += 1

    t0 = time.time()
    await asyncio.gather(*(one() for _ in range(n)))
    t1 = time.time()

    async def again(r, w):
        nonlocal errors
        try:
            w.write(b"y")
            await w.drain()
            if await asyncio.wait_for(r.readexactly(1), 30) != b"y":
                errors += 1
        except Exception:
            errors += 1

    await asyncio.gather(*(again(r, w) for r, w in conns))
    t2 = time.time()
    return conns, errors, t1 - t0, t2 - t1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", required=True)
    ap.add_argument("--java", default="java")
    ap.add_argument("-n", type=int, default=9000)
    ap.add_argument("--batch", type=int, default=500)
    a = ap.parse_args()
    up, lp = free_port(), free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(up)])
    proxy = subprocess.Popen([a.java, "-Xmx256m", "-XX:+UseZGC", "--enable-native-access=ALL-UNNAMED",
                              "-jar", a.jar, "proxy", "--listen", "%s:%d" % (HOST, lp),
                              "--upstream", "%s:%d" % (HOST, up)], stdout=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                socket.create_connection((HOST, lp), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        conns, errors, t_open, t_all = asyncio.run(run(lp, a.n, a.batch))
        print("connections %d open at once, errors %d, opened in %.1f s, round trip on all in %.2f s,"
              " proxy RSS %.0f MB (heap capped at 256 MB), proxy alive: %s"
              % (len(conns), errors, t_open, t_all, rss_mb(proxy.pid), proxy.poll() is None))
    finally:
        proxy.terminate()
        server.terminate()
        proxy.wait(10)
        server.wait(10)


if __name__ == "__main__":
    main()
