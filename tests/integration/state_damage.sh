#!/bin/sh
# A damaged state.db is refused with its real reason, never initialised over:
# garbage over the header, a truncated file, a text file, a directory, a
# dropped table or column. The CLI exits 1 with "DIR/state.db: reason" (and
# says "no state yet" only when the file does not exist); greenfleetd refuses
# to start with the same reason; the file's bytes are unchanged afterwards.
# A file without any table (new, or empty) is still initialised; an older
# schema is upgraded in place.
. "$(dirname "$0")/lib.sh"
need state sqlite3

D=$T/data
DB=$D/state.db
GF_STATE=$DB
CONF=$T/gf.conf
# A device nobody answers for: its polls still write the state database.
write_conf "$CONF" "devices = ( $(device p printer 127.0.0.1 "$(free_port)" nobody) );"
cli() { "$GREENFLEET" -c "$CONF" "$@"; }
daemon_once() { TIMEOUT_MS=100 "$GREENFLEETD" -c "$CONF" --once; }

# A good database with history: one poll and a repair.
daemon_once 2>"$T/first.log" || { cat "$T/first.log"; fail "first run"; }
cli repair log p "toner changed" --date 2026-01-05 >/dev/null || fail "repair log"
check "the good database has its repair" "2026-01-05" "$(state_sql "select day from repair_log")"
cp "$DB" "$T/good.db"

# damaged NAME EXPECTED-REASON: the CLI and the daemon on the file as it is now.
damaged() {
	rm -f "$DB-wal" "$DB-shm"
	cp -R "$DB" "$T/before" 2>/dev/null
	out=$(cli status 2>&1 >/dev/null)
	check "$1: status exits 1" 1 "$(cli status >/dev/null 2>&1; echo $?)"
	check "$1: status says why" "greenfleet: $DB: $2" "$out"
	check "$1: counters says why" "greenfleet: $DB: $2" "$(cli counters p 2>&1 >/dev/null)"
	daemon_once 2>"$T/d.log"
	check "$1: greenfleetd refuses to start" 1 "$?"
	check "$1: greenfleetd says why" \
		"store: $DB: $2; not starting, the file is left as it is" \
		"$(sed -n 's/.*greenfleetd\[error\]: //p' "$T/d.log")"
	if [ -d "$DB" ]; then
		check "$1: the directory is left alone" "" "$(ls -A "$DB")"
	else
		check "$1: the file is unchanged" same "$(cmp -s "$DB" "$T/before" && echo same)"
	fi
	rm -rf "$DB" "$T/before" "$DB-wal" "$DB-shm"
}

cp "$T/good.db" "$DB"
printf 'not a database!!' | dd of="$DB" bs=1 seek=0 conv=notrunc 2>/dev/null
damaged "garbage over the header" "file is not a database"

head -c 8192 "$T/good.db" >"$DB"
damaged "truncated to two pages" "database disk image is malformed"

head -c 50 "$T/good.db" >"$DB"
damaged "truncated inside the header" "database disk image is malformed"

printf 'data_dir = "/var/lib/greenfleet";\n' >"$DB"
damaged "a text file" "file is not a database"

mkdir "$DB"
damaged "a directory" "a directory, not a database file"

# The damage itself is done to the SQLite file directly, on purpose: the
# reads go through state_sql as everywhere else.
cp "$T/good.db" "$DB"
sqlite3 "$DB" 'DROP TABLE ledger'
damaged "DROP TABLE ledger" "the state database is damaged: table ledger is missing"

cp "$T/good.db" "$DB"
sqlite3 "$DB" 'DROP TABLE repair_log'
damaged "DROP TABLE repair_log" "the state database is damaged: table repair_log is missing"

cp "$T/good.db" "$DB"
sqlite3 "$DB" 'ALTER TABLE audit DROP COLUMN detail'
damaged "a dropped column" "the state database is damaged: table audit has no column detail"

cp "$T/good.db" "$DB"
sqlite3 "$DB" "DELETE FROM meta"
damaged "no schema version" "the state database is damaged: it records no schema version"

cp "$T/good.db" "$DB"
sqlite3 "$DB" "UPDATE meta SET value = '7' WHERE key = 'schema_version'"
damaged "a newer schema" "state schema version 7 is newer than this greenfleet (4): upgrade greenfleet"

sqlite3 "$DB" 'CREATE TABLE photos (id INTEGER PRIMARY KEY, data BLOB)'
damaged "another program's database" "not a greenfleet state database (it holds other tables)"

# No file: "no state yet" from the CLI; the daemon creates it.
check "no file: the CLI says there is no state yet" \
	"greenfleet: no state in $D yet: has greenfleetd run?" "$(cli status 2>&1 >/dev/null)"
check "no file: exit 1" 1 "$(cli status >/dev/null 2>&1; echo $?)"
daemon_once 2>"$T/d.log"
check "no file: greenfleetd creates it" "0 ledger" "$? $(state_sql "select name from sqlite_master where name = 'ledger'")"

# An empty file (a new one) is initialised.
rm -f "$DB" "$DB-wal" "$DB-shm"
: >"$DB"
daemon_once 2>"$T/d.log"
check "empty file: initialised" "0 4" "$? $(state_sql "select value from meta where key = 'schema_version'")"

# The good copy still works, history intact.
rm -f "$DB" "$DB-wal" "$DB-shm"
cp "$T/good.db" "$DB"
daemon_once 2>"$T/d.log"
check "the good database: greenfleetd runs" 0 "$?"
check "the good database: history kept" "2026-01-05  p                    -        toner changed" \
	"$(cli repair list)"

# A database of schema 1 (before serial sources): the CLI says the daemon
# upgrades it; the daemon does, in place, keeping the history.
rm -f "$DB-wal" "$DB-shm"
# Damage on purpose, to the SQLite file itself: back to the schema of version 1.
sqlite3 "$DB" "ALTER TABLE device_state DROP COLUMN serial_src; ALTER TABLE meter_ident DROP COLUMN serial_src;
	ALTER TABLE device_state DROP COLUMN poll_ms; ALTER TABLE device_state DROP COLUMN polls_failed;
	DROP TABLE meter_claim; DROP TABLE poller; DROP TABLE lease;
	UPDATE meta SET value = '1' WHERE key = 'schema_version'"
check "schema 1: the CLI says the daemon upgrades it" \
	"greenfleet: $DB: schema version 1 is older than 4: greenfleetd upgrades it when it starts" \
	"$(cli status 2>&1 >/dev/null)"
daemon_once 2>"$T/d.log"
check "schema 1: greenfleetd upgrades and runs" "0 4" "$? $(state_sql "select value from meta where key = 'schema_version'")"
check_match "schema 1: the upgrade is logged" "schema upgraded from version 1 to 4" "$(cat "$T/d.log")"
check "schema 1: history kept" "2026-01-05  p                    -        toner changed" \
	"$(cli repair list)"

# A database of schema 2 (before poll durations): upgraded in place, and the
# poll that follows (nobody answers) records its duration and a first failure.
rm -f "$DB-wal" "$DB-shm"
sqlite3 "$DB" "ALTER TABLE device_state DROP COLUMN poll_ms; ALTER TABLE device_state DROP COLUMN polls_failed;
	DROP TABLE meter_claim; DROP TABLE poller; DROP TABLE lease;
	UPDATE meta SET value = '2' WHERE key = 'schema_version'"
check "schema 2: the CLI says the daemon upgrades it" \
	"greenfleet: $DB: schema version 2 is older than 4: greenfleetd upgrades it when it starts" \
	"$(cli status 2>&1 >/dev/null)"
daemon_once 2>"$T/d.log"
check "schema 2: greenfleetd upgrades and runs" "0 4" "$? $(state_sql "select value from meta where key = 'schema_version'")"
check_match "schema 2: the upgrade is logged" "schema upgraded from version 2 to 4" "$(cat "$T/d.log")"
check "schema 2: the poll's duration and failures are stored" "0|1|1" \
	"$(state_sql "select reachable, poll_ms >= 0, polls_failed from device_state")"
check "schema 2: history kept" "2026-01-05  p                    -        toner changed" \
	"$(cli repair list)"
finish
