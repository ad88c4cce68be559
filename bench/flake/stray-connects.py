#!/usr/bin/env python3
"""Connects, again and again, to every TCP port that a test JVM of this checkout listens on, at
127.0.0.1, as a port scan of 127.0.0.1 (nmap -sT -p1-65535) would, but without touching anyone
else's services: only the listeners of the surefire JVMs whose command line names this checkout.
For showing that a test counts only its own connections.

    bench/flake/stray-connects.py SECONDS        # prints how many connects got through
"""
import os
import signal
import socket
import sys
import time

HERE = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def test_jvms():
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "surefire" in cmd and HERE in cmd and "java" in cmd:
            yield pid


def socket_inodes(pid):
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
    except OSError:
        pass
    return inodes


def listening_ports(inodes):
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    if len(cols) > 9 and cols[3] == "0A" and cols[9] in inodes:
                        ports.add(int(cols[1].rsplit(":", 1)[1], 16))
        except OSError:
            pass
    return ports


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 30
    deadline = time.monotonic() + min(seconds, 600)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stopped early: still print the count
    connected = 0
    try:
        while time.monotonic() < deadline:
            inodes = set()
            for pid in test_jvms():
                inodes |= socket_inodes(pid)
            for port in listening_ports(inodes):
                s = socket.socket()
                s.settimeout(0.2)
                try:
                    s.connect(("127.0.0.1", port))
                    connected += 1
                except OSError:
                    pass
                finally:
                    s.close()
            time.sleep(0.005)
    finally:
        print(f"stray connects: {connected}", flush=True)


if __name__ == "__main__":
    main()
