#!/bin/sh
# greenfleet import: a GLPI-style French export (';', BOM, CRLF, DD-MM-YYYY) and
# a Snipe-IT export (',', English) matched to devices whose serials the daemon
# read (snmpsim recordings, greenfleetd --once), by serial, then name, then host.
# Exact assignments and conflicts; a hand-written value is never replaced, not
# even with --force; the file written passes greenfleetd -t and shows in
# greenfleet fleet; hostile files (huge fields, too many rows, NULs, Latin-1,
# an unclosed quote) get clear errors and never replace the import file.
. "$(dirname "$0")/lib.sh"
need state

start_snmpsim ricoh_aficio-mp-c3002 brother_mfc-l2710dw kyocera_cs-4053ci hp_laserjet-mfp-m130nw \
	dell_s5830dn oki_mc873 windows_xp-workstation vmware_esxi7-hp-dl380p-gen8 \
	linux_raspbian10-raspberrypi

CONF=$T/gf.conf
P=127.0.0.1
write_conf "$CONF" "import = { locations = ( { match = \"Mairie annexe\"; department = \"etat-civil\"; } ); };
devices = (
  { id = \"ricoh\"; kind = \"printer\"; host = \"$P\"; port = $SIM_PORT; department = \"urbanisme\";
    in_service = \"2018-05-02\"; snmp = { version = \"2c\"; community = \"ricoh_aficio-mp-c3002\"; }; },
$(device brother printer $P "$SIM_PORT" brother_mfc-l2710dw),
$(device kyocera printer $P "$SIM_PORT" kyocera_cs-4053ci),
$(device hp printer $P "$SIM_PORT" hp_laserjet-mfp-m130nw),
$(device dell printer $P "$SIM_PORT" dell_s5830dn),
$(device oki printer $P "$SIM_PORT" oki_mc873),
$(device pc-accueil workstation $P "$SIM_PORT" windows_xp-workstation),
$(device srv-esxi workstation $P "$SIM_PORT" vmware_esxi7-hp-dl380p-gen8 etat-civil),
$(device rpi workstation localhost "$SIM_PORT" linux_raspbian10-raspberrypi)
);"
RICOH_LINE=$(grep -n 'id = "ricoh"' "$CONF" | cut -d: -f1)
"$GREENFLEETD" -c "$CONF" --once 2>"$T/daemon.log"
check "greenfleetd --once exits 0" 0 $?
check "the store holds brother's serial" "000A5J431816" "$(status_field brother 9)"

gf() { "$GREENFLEET" -c "$CONF" "$@"; }
# The report as tsv, one line per row and key: line device by result key value current note.
report() { gf import "$@" --format tsv 2>"$T/import.err"; }

# --- GLPI, French headers, ';', BOM, CRLF, DD-MM-YYYY and DD/MM/YYYY --------------------
report "$DATA/import_glpi_fr.csv" >"$T/glpi.tsv"
check "GLPI import exits 0" 0 $?
expected_glpi="2	ricoh	serial	conflict	in_service	2019-03-14	2018-05-02	written in $CONF:$RICOH_LINE, never replaced
2	ricoh	serial	same	department	urbanisme	urbanisme	
3	brother	serial	set	in_service	2021-09-02	-	
3	brother	serial	conflict	department	etat-civil	urbanisme	written in $CONF:$((RICOH_LINE + 2)), never replaced
4	kyocera	serial	set	in_service	2016-01-10	-	
4	kyocera	serial	skipped	department	Mairie > Archives	-	no department for this location (import.locations or --location)
4	kyocera	serial	set	retired	2025-06-30	-	
5	pc-accueil	name	invalid	in_service	31-02-2020	-	no such day (February 2020 has 29 days)
5	pc-accueil	name	set	type	laptop	-	
5	pc-accueil	name	skipped	department	Mairie > Accueil	-	no department for this location (import.locations or --location)
6	-	-	unmatched	serial	=1+2	-	no configured device has this serial, name or host
7	hp	serial	invalid	serial	VNCRC48198	-	serial also on line 8
8	hp	serial	invalid	serial	VNCRC48198	-	serial also on line 7
9	srv-esxi	name	set	in_service	2014-06-01	-	
9	srv-esxi	name	set	type	server	-	
9	srv-esxi	name	same	department	etat-civil	etat-civil	
11	-	-	unmatched	serial	XYZ999	-	no configured device has this serial, name or host
12	oki	name	set	in_service	2020-01-15	-	
12	oki	name	same	department	urbanisme	urbanisme	"
check "GLPI report: every row and key" "$expected_glpi" "$(cat "$T/glpi.tsv")"
check "GLPI summary" "10 rows: 3 matched, 2 unmatched, 2 with a conflict, 3 invalid
wrote $T/imported.conf (5 devices)" "$(cat "$T/import.err")"
expected_file='  { id = "brother"; in_service = "2021-09-02"; }
  { id = "kyocera"; in_service = "2016-01-10"; retired = "2025-06-30"; }
  { id = "oki"; in_service = "2020-01-15"; }
  { id = "pc-accueil"; type = "laptop"; }
  { id = "srv-esxi"; in_service = "2014-06-01"; type = "server"; }'
check "the import file: imported values only" "$expected_file" \
	"$(grep '^  {' "$T/imported.conf" | sed 's/ },*$/ }/')"
check "greenfleetd -t accepts the configuration with it" 0 \
	"$("$GREENFLEETD" -t -c "$CONF" >/dev/null 2>"$T/t.err"; echo $?)"
check "the CSV report neutralises the formula cell" '6,,,unmatched,serial,"'"'"'=1+2",,"no configured device has this serial, name or host"' \
	"$(gf import "$DATA/import_glpi_fr.csv" --dry-run --format csv 2>/dev/null | tr -d '\r' | grep '^6,')"

# Age from the purchase date: greenfleet fleet reads the merged configuration.
fleet() { gf fleet --format tsv | awk -F '\t' -v id="$1" '$1 == id { print $5 " " $6 }'; }
check "fleet: srv-esxi's age from its purchase date" "in_service 2014-06-01" "$(fleet srv-esxi)"
check "fleet: ricoh keeps its hand-written date" "in_service 2018-05-02" "$(fleet ricoh)"

# --- Snipe-IT, English headers, ',' ---------------------------------------------------
TODAY=$(date +%F)
report "$DATA/import_snipeit.csv" --location "Town Hall Annex=etat-civil" >"$T/snipe.tsv"
check "Snipe-IT import exits 0" 0 $?
expected_snipe="2	dell	serial	set	in_service	2017-11-20	-	
2	dell	serial	conflict	department	etat-civil	urbanisme	written in $CONF:$((RICOH_LINE + 8)), never replaced
3	rpi	name	set	in_service	2022-03-01	-	
3	rpi	name	set	type	desktop	-	
3	rpi	name	skipped	department	Town Hall	-	no department for this location (import.locations or --location)
4	kyocera	serial	conflict	in_service	2016-02-10	2016-01-10	imported earlier; --force replaces it
4	kyocera	serial	skipped	department	Town Hall	-	no department for this location (import.locations or --location)
4	kyocera	serial	conflict	retired	$TODAY	2025-06-30	imported earlier; --force replaces it
5	pc-accueil	name	set	in_service	2020-02-28	-	
5	pc-accueil	name	same	type	laptop	laptop	
5	pc-accueil	name	skipped	department	Town Hall	-	no department for this location (import.locations or --location)
5	pc-accueil	name	set	retired	$TODAY	-	
6	brother	serial	invalid	in_service	03/14/2019	-	no month 14 (months are 01 to 12)
6	brother	serial	conflict	department	etat-civil	urbanisme	written in $CONF:$((RICOH_LINE + 2)), never replaced"
check "Snipe-IT report" "$expected_snipe" "$(cat "$T/snipe.tsv")"
check "Snipe-IT summary" "5 rows: 2 matched, 0 unmatched, 2 with a conflict, 1 invalid
wrote $T/imported.conf (7 devices)" "$(cat "$T/import.err")"
check "the GLPI values stay, the new ones join them" "  { id = \"brother\"; in_service = \"2021-09-02\"; }
  { id = \"kyocera\"; in_service = \"2016-01-10\"; retired = \"2025-06-30\"; }
  { id = \"dell\"; in_service = \"2017-11-20\"; }
  { id = \"oki\"; in_service = \"2020-01-15\"; }
  { id = \"pc-accueil\"; in_service = \"2020-02-28\"; type = \"laptop\"; retired = \"$TODAY\"; }
  { id = \"srv-esxi\"; in_service = \"2014-06-01\"; type = \"server\"; }
  { id = \"rpi\"; in_service = \"2022-03-01\"; type = \"desktop\"; }" "$(grep '^  {' "$T/imported.conf" | sed 's/ },*$/ }/')"

# --force replaces what an import gave, never what a person wrote.
report "$DATA/import_snipeit.csv" --location "Town Hall Annex=etat-civil" --force >"$T/force.tsv"
check "--force: the earlier import is replaced" "4	kyocera	serial	set	in_service	2016-02-10	2016-01-10	replaces an earlier import" \
	"$(grep '^4.*in_service' "$T/force.tsv")"
check "--force: the hand-written department stays" "conflict" "$(awk -F '\t' '$1 == 2 && $5 == "department" { print $4 }' "$T/force.tsv")"
report "$DATA/import_glpi_fr.csv" --force >"$T/force2.tsv"
check "--force: the hand-written in_service stays" "conflict" "$(awk -F '\t' '$2 == "ricoh" && $5 == "in_service" { print $4 }' "$T/force2.tsv")"
check "greenfleetd -t still accepts it" 0 "$("$GREENFLEETD" -t -c "$CONF" >/dev/null 2>&1; echo $?)"

# --- --column for any CSV; matching by host --------------------------------------------
printf 'Machine,Bought,Kind\nlocalhost,2021-05-04,Laptop\n127.0.0.1,2021-05-04,Laptop\n' >"$T/any.csv"
gf import "$T/any.csv" --column host=Machine --column in_service=Bought --column type=Kind \
	--dry-run --format tsv >"$T/any.tsv" 2>&1
check "--column: rpi by its host; 127.0.0.1 names several devices" "2	rpi	host	conflict	in_service	2021-05-04	2022-03-01	imported earlier; --force replaces it
2	rpi	host	conflict	type	laptop	desktop	imported earlier; --force replaces it
3	-	-	unmatched	host	127.0.0.1	-	no configured device has this serial, name or host" "$(grep -v rows: "$T/any.tsv" | grep -v 'dry run')"
printf 'rpi,2021-05-04,Laptop\n' >>"$T/any.csv"
check "two rows naming one device: both refused" "2	rpi	host	invalid	host	localhost	-	device also matched by line 4
4	rpi	host	invalid	host	rpi	-	device also matched by line 2" \
	"$(gf import "$T/any.csv" --column host=Machine --column in_service=Bought --dry-run --format tsv 2>/dev/null | grep rpi)"
check "--column with a missing header" "greenfleet: $T/any.csv:1: no column 'Achat' (--column in_service=...)" \
	"$(gf import "$T/any.csv" --column in_service=Achat 2>&1)"

# --- hostile files: clear errors, the import file never replaced or broken ----------------
SUM=$(md5sum <"$T/imported.conf")
$PY - "$T" <<'PY'
import sys
t = sys.argv[1]
open(t + "/huge.csv", "w").write("Name;Serial\nrpi;" + "A" * 1048576 + "\noki;x\n")
with open(t + "/rows.csv", "w") as f:
    f.write("Name,Serial\n")
    for i in range(100001):
        f.write("pc%d,S%d\n" % (i, i))
open(t + "/nul.csv", "wb").write(b"Name,Serial\nrpi,A\x00B\noki,\n")
open(t + "/latin1.csv", "wb").write(b"Name,Lieu\nrpi,Mairie annexe \xe9\noki,x\n")
open(t + "/unclosed.csv", "w").write('Name,Serial\nrpi,"abc\noki,x\n')
open(t + "/noid.csv", "w").write('Colour,Size\nred,3\n')
PY
check "a 1 MB field: that row is refused" "2	-	-	invalid	-	-	-	field 2 is longer than 16384 bytes
3	oki	name	matched	-	-	-	nothing to import" "$(gf import "$T/huge.csv" --dry-run --format tsv 2>/dev/null)"
gf import "$T/rows.csv" --format tsv >"$T/rows.out" 2>&1
check "100,001 rows: refused whole" "1 greenfleet: $T/rows.csv:100002: more than 100000 rows: split the file; nothing imported" \
	"$?$(printf ' ')$(cat "$T/rows.out")"
check "a NUL byte: that row is refused" "2	-	-	invalid	-	-	-	field 2 holds a NUL byte" \
	"$(gf import "$T/nul.csv" --dry-run --format tsv 2>/dev/null | head -1)"
check "Latin-1 bytes: that row is refused" "2	-	-	invalid	-	-	-	field 2 is not UTF-8 (save the file as UTF-8)" \
	"$(gf import "$T/latin1.csv" --dry-run --format tsv 2>/dev/null | head -1)"
check "an unclosed quote: refused whole" "greenfleet: $T/unclosed.csv:2: a quoted field is never closed; nothing imported" \
	"$(gf import "$T/unclosed.csv" 2>&1)"
check "no column names a device" "greenfleet: $T/noid.csv:1: no column names a serial number, a name or a host (use --column serial=HEADER)" \
	"$(gf import "$T/noid.csv" 2>&1)"
check "the import file is unchanged by all of that" "$SUM" "$(md5sum <"$T/imported.conf")"

# A value the configuration cannot take is caught before anything is replaced:
# pc-accueil's hand-written retirement before the imported purchase date.
sed "s/id = \"pc-accueil\"; kind = \"workstation\";/& retired = \"2019-01-01\";/" "$CONF" >"$T/gf2.conf"
chmod 600 "$T/gf2.conf"
rm -f "$T/imported.conf"
printf 'Name,Purchase Date\npc-accueil,2020-02-28\n' >"$T/late.csv"
out=$("$GREENFLEET" -c "$T/gf2.conf" import "$T/late.csv" 2>&1)
check "an import the configuration refuses: exit 1" 1 $?
check_match "... says why" "the file written does not load, nothing replaced:" "$out"
check_match "... and what" "^$T/imported.conf.[A-Za-z0-9]{6}:5: device 'pc-accueil': retired is before in_service" "$out"
check "... and writes nothing" "no file" "$(ls "$T/imported.conf" 2>/dev/null || echo no file)"
check "... not even a temporary file" "" "$(find "$T" -maxdepth 1 -name 'imported.conf.*')"

# Devices of a devices_dir file (greenfleet discover -o) take imported values the same
# way; a value their entry writes is a conflict that names that file; an import file
# inside devices_dir would be read as a devices file and is refused.
mkdir -p "$T/c3/devices.d"
printf 'devices = (\n  { id = "found1"; host = "127.0.0.9"; kind = "workstation"; department = "urbanisme";\n    in_service = "2015-01-01"; snmp = { version = "2c"; community = "public"; }; }\n);\n' \
	>"$T/c3/devices.d/discovered.conf"
write_conf "$T/c3/gf.conf" 'devices_dir = "devices.d";'
printf 'Name,Purchase Date,Type\nfound1,2016-02-03,Serveur\n' >"$T/found.csv"
check "a devices_dir device: its own date is a conflict naming its file, the type is set" \
	"2	found1	name	conflict	in_service	2016-02-03	2015-01-01	written in $T/c3/devices.d/discovered.conf:2, never replaced
2	found1	name	set	type	server	-	" \
	"$("$GREENFLEET" -c "$T/c3/gf.conf" import "$T/found.csv" --format tsv 2>/dev/null)"
check "... written beside the configuration" '  { id = "found1"; type = "server"; }' "$(grep '^  {' "$T/c3/imported.conf")"
check "... and greenfleetd -t takes both" 0 "$("$GREENFLEETD" -t -c "$T/c3/gf.conf" >/dev/null 2>&1; echo $?)"
write_conf "$T/c3/gf.conf" 'devices_dir = "devices.d"; import = { file = "devices.d/imported.conf"; };'
check_match "an import file inside devices_dir is refused" \
	"gf.conf:[0-9]+: import.file: '$T/c3/devices.d/imported.conf' would be read as a devices file of devices_dir" \
	"$("$GREENFLEET" -c "$T/c3/gf.conf" import "$T/found.csv" 2>&1)"

finish
