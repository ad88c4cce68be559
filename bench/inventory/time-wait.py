#!/usr/bin/env python3
"""Holds a loopback listener on PORT (IPv4 and IPv6) and, on each line N read from stdin, makes N
short connections to eight other listeners (PORT+1..PORT+8), each closed by its client first, so
each leaves a TIME_WAIT socket for 60 s on an ephemeral port; answers "tw COUNT" from
/proc/net/sockstat after each batch. Eight destinations keep the clients' ephemeral ports from
running out (about 14,000 even ports each before the kernel reuses a TIME_WAIT). Stops at end of
input. Used by who-busy.sh (run it in a network namespace of its own):

    bench/inventory/time-wait.py PORT
"""
import socket
import sys


def tw_count():
    for line in open("/proc/net/sockstat"):
        if line.startswith("TCP:"):
            words = line.split()
            return int(words[words.index("tw") + 1])
    return -1


def listener(family, host, port):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(4096)
    return s


def main(port):
    held = [listener(socket.AF_INET, "127.0.0.1", port), listener(socket.AF_INET6, "::1", port)]
    servers = [listener(socket.AF_INET, "127.0.0.1", port + 1 + i) for i in range(8)]
    print("ready", flush=True)
    for line in sys.stdin:
        n = int(line)
        for i in range(n):
            server = servers[i % len(servers)]
            client = socket.create_connection(server.getsockname()[:2])
            accepted, _ = server.accept()
            client.close()  # the client's FIN first: its socket keeps the TIME_WAIT
            accepted.close()
        print("tw", tw_count(), flush=True)
    for s in held + servers:
        s.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: time-wait.py PORT")
    main(int(sys.argv[1]))
