"""Ports, listener waits and the end of started process groups, shared by the proxy benchmarks in this folder (imported, not run)."""
import os, signal, socket, subprocess, sys, time

HOST = "127.0.0.1"


class Ports:
    """Hands out free ports of 127.0.0.1 from PORT_BASE (or `default`) up, each once."""

    def __init__(self, default):
        self._next = iter(range(int(os.environ.get("PORT_BASE", str(default))), 65536))

    def free(self):
        for p in self._next:
            with socket.socket() as s:
                try:
                    s.bind((HOST, p))
                    return p
                except OSError:
                    continue
        raise RuntimeError("no free port")


def wait_listen(port, timeout=30):
    """Waits until something listens on `port`, polling ss, not connect: a stray connection
    would confuse iperf3's server, and a connect to a port nobody listens on can self-connect."""
    end = time.time() + timeout
    while time.time() < end:
        out = subprocess.run(["ss", "-ltnH", "sport = :%d" % port], capture_output=True, text=True).stdout
        if out.strip():
            return
        time.sleep(0.1)
    sys.exit("nothing listens on %d after %d s" % (port, timeout))


def stop_groups(procs):
    """Stops each started process's group (each was started with start_new_session): TERM to all,
    then up to 10 s each to end before KILL."""
    for p in procs:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
