#!/usr/bin/python3
"""Checks the shape of src/: folders by stage, calls only downwards, small files.

Each folder of src/ is a layer. A file may include headers of its own layer and
of the layers listed before it in LAYERS, never of a later one; the programs'
folders (last row) are peers that include nothing of each other. No two modules
(x.c with x.h) may include each other, directly or around a loop. No .c file is
over MAX_FILE lines, no function over MAX_FUNC lines, and the CLI's main file is
under MAX_CLI lines.

Usage: tests/layers.py [SRCDIR]   (default: the src/ beside this script)
Prints one line per breach, FILE:LINE: message, and exits 1 if there is any.
"""
import os
import re
import sys

# Lowest first. A row of several names: peers of one rank.
LAYERS = [
    ["common"],     # allocation, logging, text, dates, tables, counter names
    ["conf"],       # the configuration and profiles, loaded as data only
    ["read"],       # read plans and the readings built from answers
    ["poll"],       # the event loop and SNMP sessions that run the plans
    ["meter"],      # pages from two readings, pure
    ["store"],      # the state store interface, its backends, RRD files
    ["notify"],     # mail templates, the outbox, sending
    ["judge"],      # quotas, repair advice, alerts
    ["report"],     # views: the rows every front end shows, graphs, reports
    ["daemon", "cli", "web"],   # the programs
]
MAX_FILE = 800
MAX_FUNC = 60
MAX_CLI = 400
CLI_MAIN = "cli/greenfleet.c"

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def rank_of(layer):
    for i, row in enumerate(LAYERS):
        if layer in row:
            return i
    return None


def scan(src):
    files = {}
    for layer in sorted(os.listdir(src)):
        d = os.path.join(src, layer)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if f.endswith((".c", ".h")):
                files[layer + "/" + f] = os.path.join(d, f)
    return files


def functions(lines):
    """(first line, length, name) of each function: a '{' in column 0 after a
    header line in column 0, up to the '}' in column 0 that closes it."""
    head = None
    start = None
    for i, line in enumerate(lines, 1):
        if start is None and re.match(r"^[A-Za-z_].*\(", line) and \
                not line.rstrip().endswith(";"):
            head = (i, line.split("(")[0].split()[-1].lstrip("*"))
        elif line.startswith("{") and head is not None:
            start = head
        elif line.startswith("}") and start is not None:
            yield start[0], i - start[0] + 1, start[1]
            start = head = None
        elif line.strip() == "" and start is None:
            head = None


def check(src):
    bad = []
    files = scan(src)
    by_header = {}
    for rel in files:
        if rel.endswith(".h"):
            name = rel.split("/")[1]
            if name in by_header:
                bad.append(f"{rel}:1: header name also used by {by_header[name]}")
            by_header[name] = rel
    edges = {}
    for rel, path in files.items():
        layer = rel.split("/")[0]
        r = rank_of(layer)
        if r is None:
            bad.append(f"{rel}:1: folder '{layer}' is not in tests/layers.py LAYERS")
            continue
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        mod = rel.rsplit(".", 1)[0]
        for n, line in enumerate(lines, 1):
            m = INCLUDE.match(line)
            if not m or m.group(1) == "config.h":
                continue
            hdr = by_header.get(m.group(1))
            if hdr is None:
                bad.append(f"{rel}:{n}: includes \"{m.group(1)}\", not a header of src/")
                continue
            hl = hdr.split("/")[0]
            hr = rank_of(hl)
            if hr is None:
                continue
            if hr > r or (hr == r and hl != layer):
                bad.append(f"{rel}:{n}: {layer} includes {hdr}: a call "
                           f"{'across' if hr == r else 'upwards'}")
            dep = hdr.rsplit(".", 1)[0]
            if dep != mod:
                edges.setdefault(mod, set()).add(dep)
        if rel.endswith(".c"):
            if len(lines) - 1 > MAX_FILE:
                bad.append(f"{rel}:1: {len(lines) - 1} lines, over {MAX_FILE}")
            if rel == CLI_MAIN and len(lines) - 1 >= MAX_CLI:
                bad.append(f"{rel}:1: {len(lines) - 1} lines, the CLI's main file "
                           f"should be under {MAX_CLI}")
            for first, length, name in functions(lines):
                if length > MAX_FUNC:
                    bad.append(f"{rel}:{first}: function {name} is {length} lines, "
                               f"over {MAX_FUNC}")
    for cycle in cycles(edges):
        bad.append(f"src/{cycle[0]}.h:1: include cycle: {' -> '.join(cycle + [cycle[0]])}")
    return bad


def cycles(edges):
    """One loop per strongly connected group of modules (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            strong(v)
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "src")
    bad = check(src)
    for b in bad:
        print("src/" + b if not b.startswith("src/") else b)
    if bad:
        print(f"layers: {len(bad)} breaches; order, lowest first: "
              f"{' < '.join('/'.join(x) for x in LAYERS)}", file=sys.stderr)
        return 1
    print("layers: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
