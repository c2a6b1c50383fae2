#!/usr/bin/python3
"""Fills a greenfleet state database with a synthetic fleet, for bench/web.sh.

Usage: fleetstate.py CONF STATE_DB N DAYS

Writes CONF (N printers in 20 departments, each with a monthly quota, every
host 127.0.0.1 on a closed port) when STATE_DB does not exist yet; run
`greenfleetd -c CONF --once` then, so the daemon itself creates the schema
(and a "down" row per device), and run this again: it turns every device
into one that answered (device_state, four supplies, meter counters, health,
facts) and writes DAYS days of ledger rows (total, mono, colour, duplex per
device and day), as the daemon would after DAYS days of polling.
"""
import os
import random
import sqlite3
import sys
import time

conf, db, n, days = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
DEPTS = 20
rnd = random.Random(21)

if not os.path.exists(db):
    with open(conf, "w") as f:
        f.write('data_dir = "%s";\n' % os.path.dirname(db))
        f.write('timeout_ms = 50;\nretries = 0;\nconcurrency = 256;\ninterval = 300;\n')
        f.write("departments = (\n%s\n);\n" % ",\n".join(
            '  { id = "dept-%02d"; name = "Service %02d"; quota = { period = "month"; mono = 50000; colour = 5000; }; }'
            % (d, d) for d in range(DEPTS)))
        f.write("devices = (\n%s\n);\n" % ",\n".join(
            '  { id = "prn-%05d"; kind = "printer"; host = "127.0.0.1"; port = %s; department = "dept-%02d";'
            ' snmp = { version = "2c"; community = "bench"; }; }' % (i, sys.argv[5] if len(sys.argv) > 5 else 9, i % DEPTS)
            for i in range(n)))
    os.chmod(conf, 0o600)
    sys.exit(0)

now = int(time.time())
c = sqlite3.connect(db)
c.execute("PRAGMA synchronous = OFF")
ids = ["prn-%05d" % i for i in range(n)]
c.executemany("UPDATE device_state SET last_ok = ?2, reachable = 1, error = NULL,"
              " sys_descr = 'Synthetic MFP', uptime_s = 86400, toner_min = 40, serial = ?1"
              " WHERE id = ?1", [(i, now) for i in ids])
c.executemany("INSERT OR REPLACE INTO supply VALUES (?,?,?,?,?,?,?)",
              [(i, k + 1, name, 3, 19, 100, rnd.randint(1, 100))
               for i in ids for k, name in enumerate(("Toner Black", "Toner Cyan", "Toner Magenta", "Toner Yellow"))])
c.executemany("INSERT OR REPLACE INTO meter VALUES (?,?,?,?,?,?,?,?,?,NULL)",
              [(i, k, "printer-mib", "impressions", "bench", 100000, 100000, now, 100000)
               for i in ids for k in ("total", "mono", "colour", "duplex")])
c.executemany("INSERT OR REPLACE INTO health VALUES (?,?,NULL,NULL,NULL,NULL,NULL,0)",
              [(i, now - 400 * 86400) for i in ids])
c.executemany("INSERT OR REPLACE INTO facts VALUES (?,?,NULL,?,NULL,0,NULL,NULL,NULL)",
              [(i, now, "2019-03-01") for i in ids])
rows = []
for d in range(days):
    day = time.strftime("%Y-%m-%d", time.localtime(now - d * 86400))
    for k, i in enumerate(ids):
        mono, colour = rnd.randint(0, 200), rnd.randint(0, 40)
        dept = "dept-%02d" % (k % DEPTS)
        rows += [(day, i, "total", dept, mono + colour), (day, i, "mono", dept, mono),
                 (day, i, "colour", dept, colour), (day, i, "duplex", dept, mono // 3)]
c.executemany("INSERT OR REPLACE INTO ledger VALUES (?,?,?,?,?)", rows)
# Each counter's odometer is the sum of its ledger rows, as the meter keeps it.
odo = {}
for day, dev, counter, dept, pages in rows:
    odo[(dev, counter)] = odo.get((dev, counter), 0) + pages
c.executemany("UPDATE meter SET odometer = ?3 WHERE device = ?1 AND counter = ?2",
              [(d, k, v) for (d, k), v in odo.items()])
c.commit()
print("%d devices, %d ledger rows" % (n, len(rows)))
