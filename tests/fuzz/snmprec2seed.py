#!/usr/bin/env python3
"""Turns snmpsim recordings (tests/data/*.snmprec) into seeds for fuzz_decode.

Usage: tests/fuzz/snmprec2seed.py OUTDIR FILE.snmprec...

Each recording becomes one seed in fuzz_decode's record format (see the
comment at the top of tests/fuzz/fuzz_decode.c): the plan byte (0 printer,
2 workstation with its daily tables), then only the varbinds a read plan
asks for (system group, HOST-RESOURCES, Printer-MIB, ENTITY-MIB, PWG, UCD
memory, the SMART extend, and the OIDs named in conf/profiles.d), at most
ROWS rows per column and MAX_LEN bytes, so that seeds stay small.
"""
import os
import re
import sys

MAX_LEN = 8192
ROWS = 12
STANDARD = ["1.3.6.1.2.1.1.", "1.3.6.1.2.1.25.", "1.3.6.1.2.1.43.", "1.3.6.1.2.1.47.1.1.1.1.",
            "1.3.6.1.4.1.2699.1.3.", "1.3.6.1.4.1.2021.4.", "1.3.6.1.4.1.8072.1.3.2.4."]
WORKSTATIONS = ("linux_", "vmware_", "windows_", "scenario_rhel8", "scenario_ubuntu", "scenario_winxp")


def profile_prefixes():
    """Dotted OIDs of the vendor profiles (scalars and table entries), not their match prefixes."""
    here = os.path.dirname(os.path.abspath(__file__))
    pdir = os.path.join(here, "..", "..", "conf", "profiles.d")
    found = set()
    for name in sorted(os.listdir(pdir)):
        if name.endswith(".conf"):
            with open(os.path.join(pdir, name), encoding="utf-8") as f:
                found.update(re.findall(r'"(1\.3\.6\.1\.4\.1\.[0-9.]*[0-9])"', f.read()))
    return [p + "." for p in found]


def num(v):
    """Base-128, high bit set on every byte but the last."""
    out = [v & 0x7f]
    v >>= 7
    while v:
        out.append(0x80 | (v & 0x7f))
        v >>= 7
    return bytes(reversed(out))


def oid_bytes(dotted):
    return b"".join(num(int(a)) for a in dotted.strip(".").split("."))


def signed(v):
    n = 1
    while not -(1 << (8 * n - 1)) <= v < (1 << (8 * n - 1)):
        n += 1
    return v.to_bytes(n, "big", signed=True)


def unsigned(v):
    return v.to_bytes(max(1, (v.bit_length() + 7) // 8), "big")


def value(tag, text):
    """(ASN.1 type, value bytes) of one snmprec value, or None for what is not recorded plainly."""
    if tag.endswith("x"):
        raw = bytes.fromhex(text)
        tag = tag[:-1]
    else:
        raw = text.encode("utf-8", "surrogateescape")
    if tag == "2":
        return 0x02, signed(int(text))
    if tag in ("65", "66", "67"):
        return int(tag), unsigned(int(text) & 0xffffffff)
    if tag == "70":
        return 0x46, unsigned(int(text))
    if tag == "6":
        return 0x06, oid_bytes(text)
    if tag == "64":
        return 0x40, raw if len(raw) == 4 else bytes(int(a) for a in text.split("."))
    if tag in ("4", "68"):
        return int(tag), raw
    return None


def seed(path, prefixes):
    out = bytearray([2 if os.path.basename(path).startswith(WORKSTATIONS) else 0])
    rows = {}
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            parts = line.rstrip("\n").split("|", 2)
            if len(parts) != 3 or ":" in parts[1]:
                continue
            name, tag, text = parts
            if not any((name + ".").startswith(p) for p in prefixes):
                continue
            column = name.rsplit(".", 1)[0]
            rows[column] = rows.get(column, 0) + 1
            if rows[column] > ROWS:
                continue
            try:
                tv = value(tag, text)
            except ValueError:
                continue
            if tv is None:
                continue
            name_b = oid_bytes(name)
            rec = bytes([len(name.strip(".").split("."))]) + name_b + bytes([tv[0]]) + \
                num(len(tv[1])) + tv[1]
            if len(out) + len(rec) > MAX_LEN:
                break
            out += rec
    return bytes(out)


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: snmprec2seed.py OUTDIR FILE.snmprec...")
    prefixes = STANDARD + profile_prefixes()
    for path in sys.argv[2:]:
        name = os.path.basename(path).rsplit(".", 1)[0]
        with open(os.path.join(sys.argv[1], name), "wb") as f:
            f.write(seed(path, prefixes))


if __name__ == "__main__":
    main()
