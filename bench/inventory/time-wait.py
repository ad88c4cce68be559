#!/usr/bin/env python3
"""Holds a loopback listener on PORT (IPv4 and IPv6) and, on each line N read from stdin, makes N
short connections to 64 other listeners (PORT+1..PORT+64), each closed by its client first, so
each leaves a TIME_WAIT socket for 60 s on an ephemeral port; answers "tw COUNT" from
/proc/net/sockstat after each batch. Many destinations keep a client's ephemeral port from landing
on a TIME_WAIT of the same four-tuple, which the kernel would reuse (tcp_tw_reuse is 2, loopback,
by default): with 8, 50,000 connections left 43,000. Stops at end of input. Used by who-busy.sh (run it in a network namespace of its own):

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
    servers = [listener(socket.AF_INET, "127.0.0.1", port + 1 + i) for i in range(64)]
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
